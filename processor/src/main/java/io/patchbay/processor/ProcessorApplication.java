package io.patchbay.processor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The processor: applies update commands from Kafka to PostgreSQL and publishes what changed. */
@SpringBootApplication
@EnableConfigurationProperties(ProcessorProperties.class)
public class ProcessorApplication {

    /** A builder reading {@code patchbay-processor.properties}, so that it can share a JVM with the adapter. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ProcessorApplication.class)
                .properties("spring.config.name=patchbay-processor");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
