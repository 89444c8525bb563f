package io.patchbay.adapter;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.patchbay.schemas.config.PatchbayProperties;

/** The HTTP adapter: both public APIs' PATCH and GET, turned into commands on Kafka. */
@SpringBootApplication
@EnableConfigurationProperties({PatchbayProperties.class, AdapterProperties.class})
public class AdapterApplication {

    /** A builder reading {@code patchbay-adapter.properties}, so that it can share a JVM with the processor. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(AdapterApplication.class).properties("spring.config.name=patchbay-adapter");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
