package io.patchbay.processor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.patchbay.processor.tools.DeadLetterReplay;
import io.patchbay.schemas.config.PatchbayProperties;

/** The processor: applies update commands from Kafka to PostgreSQL and publishes what changed. */
@SpringBootApplication
@EnableConfigurationProperties({PatchbayProperties.class, ProcessorProperties.class})
public class ProcessorApplication {

    /** A builder reading {@code patchbay-processor.properties}, so that it can share a JVM with the adapter. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ProcessorApplication.class)
                .properties("spring.config.name=patchbay-processor");
    }

    /** Runs the processor, or with {@code dead-letter-replay} as first argument the {@link DeadLetterReplay} tool. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("dead-letter-replay")) {
            DeadLetterReplay.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        builder().run(args);
    }
}
