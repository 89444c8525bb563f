package io.patchbay.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.adapter.AdapterApplication;
import io.patchbay.processor.ProcessorApplication;

/**
 * The processor and the adapter running in this JVM as two separate Spring contexts, each configured as in
 * production but pointed at the given infrastructure.
 */
public final class PatchbayApps implements AutoCloseable {

    /**
     * Where the apps connect and listen.
     *
     * @param httpPort adapter port; 0 picks a free one
     * @param publicBaseUrl base of links and Location headers; null derives it from the port
     */
    public record Settings(String bootstrapServers, String jdbcUrl, String registryUrl, String topicPrefix, int httpPort,
                           String publicBaseUrl) {
    }

    private final ConfigurableApplicationContext processor;
    private final ConfigurableApplicationContext adapter;

    private PatchbayApps(ConfigurableApplicationContext processor, ConfigurableApplicationContext adapter) {
        this.processor = processor;
        this.adapter = adapter;
    }

    public static PatchbayApps start(Settings settings, Map<String, String> overrides) {
        Map<String, Object> common = new LinkedHashMap<>();
        common.put("spring.kafka.bootstrap-servers", settings.bootstrapServers());
        common.put("spring.datasource.url", settings.jdbcUrl());
        common.put("patchbay.schema-registry-url", settings.registryUrl());
        common.put("patchbay.topic-prefix", settings.topicPrefix());
        common.put("spring.main.banner-mode", "off");
        Map<String, Object> processorProps = new LinkedHashMap<>(common);
        processorProps.put("patchbay.processor.consumer-group", settings.topicPrefix() + "-processor");
        overrides.forEach((k, v) -> { if (k.startsWith("patchbay.processor.")) processorProps.put(k, v); });
        ConfigurableApplicationContext processor = ProcessorApplication.builder().run(args(processorProps));
        Map<String, Object> adapterProps = new LinkedHashMap<>(common);
        adapterProps.put("server.port", settings.httpPort());
        adapterProps.put("patchbay.api.idempotency-secret", "devstack-only-idempotency-secret");
        if (settings.publicBaseUrl() != null) {
            adapterProps.put("patchbay.api.public-base-url", settings.publicBaseUrl());
        }
        overrides.forEach((k, v) -> { if (!k.startsWith("patchbay.processor.")) adapterProps.put(k, v); });
        try {
            ConfigurableApplicationContext adapter = AdapterApplication.builder().run(args(adapterProps));
            return new PatchbayApps(processor, adapter);
        } catch (RuntimeException e) {
            processor.close();
            throw e;
        }
    }

    /** Settings as command-line arguments: they outrank each app's own properties file. */
    private static String[] args(Map<String, Object> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** The port the adapter listens on. */
    public int httpPort() {
        return Integer.parseInt(adapter.getEnvironment().getProperty("local.server.port"));
    }

    public ConfigurableApplicationContext processor() {
        return processor;
    }

    public ConfigurableApplicationContext adapter() {
        return adapter;
    }

    @Override
    public void close() {
        adapter.close();
        processor.close();
    }
}
