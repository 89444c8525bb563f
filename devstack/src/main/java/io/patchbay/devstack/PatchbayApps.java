package io.patchbay.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.adapter.AdapterApplication;
import io.patchbay.processor.ProcessorApplication;
import io.patchbay.store.auth.ApiKeyHasher;

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

    /** The adapters' {@code patchbay.api.idempotency-secret}: devstack's only, never a deployment's. */
    public static final String IDEMPOTENCY_SECRET = "devstack-only-idempotency-secret";

    /** The adapter's API key pepper in devstack and the tests; demo and test keys are hashed with it. */
    public static final String API_KEY_PEPPER = "devstack-only-api-key-pepper";

    private final ConfigurableApplicationContext processor;
    private final ConfigurableApplicationContext adapter;

    private PatchbayApps(ConfigurableApplicationContext processor, ConfigurableApplicationContext adapter) {
        this.processor = processor;
        this.adapter = adapter;
    }

    public static PatchbayApps start(Settings settings, Map<String, String> overrides) {
        Map<String, String> processorOverrides = new LinkedHashMap<>();
        Map<String, String> adapterOverrides = new LinkedHashMap<>();
        overrides.forEach((k, v) -> (k.startsWith("patchbay.processor.") ? processorOverrides : adapterOverrides).put(k, v));
        ConfigurableApplicationContext processor = startProcessor(settings, processorOverrides);
        try {
            return new PatchbayApps(processor, startAdapter(settings, adapterOverrides));
        } catch (RuntimeException e) {
            processor.close();
            throw e;
        }
    }

    /**
     * Starts a processor alone. Its management port (actuator health) is a free one unless {@code server.port} is
     * among the overrides.
     */
    public static ConfigurableApplicationContext startProcessor(Settings settings, Map<String, String> overrides) {
        return startProcessor(settings, overrides, new ApplicationContextInitializer<?>[0]);
    }

    /**
     * As {@link #startProcessor(Settings, Map)}, with {@code initializers} applied to the processor's context before it
     * is refreshed (a test's fault injection, say).
     */
    public static ConfigurableApplicationContext startProcessor(Settings settings, Map<String, String> overrides,
                                                                ApplicationContextInitializer<?>... initializers) {
        Map<String, Object> properties = common(settings);
        properties.put("patchbay.processor.consumer-group", settings.topicPrefix() + "-processor");
        properties.put("server.port", 0);
        properties.putAll(overrides);
        return ProcessorApplication.builder().initializers(initializers).run(args(properties));
    }

    /** Starts an adapter alone, on {@code settings.httpPort()} (0: a free port). */
    public static ConfigurableApplicationContext startAdapter(Settings settings, Map<String, String> overrides) {
        return startAdapter(settings, overrides, new ApplicationContextInitializer<?>[0]);
    }

    /**
     * As {@link #startAdapter(Settings, Map)}, with {@code initializers} applied to the adapter's context before it
     * is refreshed (a test's fault injection, say).
     */
    public static ConfigurableApplicationContext startAdapter(Settings settings, Map<String, String> overrides,
                                                              ApplicationContextInitializer<?>... initializers) {
        Map<String, Object> properties = common(settings);
        properties.put("server.port", settings.httpPort());
        properties.put("patchbay.api.idempotency-secret", IDEMPOTENCY_SECRET);
        properties.put("patchbay.api.api-key-pepper", API_KEY_PEPPER);
        if (settings.publicBaseUrl() != null) {
            properties.put("patchbay.api.public-base-url", settings.publicBaseUrl());
        }
        properties.putAll(overrides);
        return AdapterApplication.builder().initializers(initializers).run(args(properties));
    }

    private static Map<String, Object> common(Settings settings) {
        Map<String, Object> common = new LinkedHashMap<>();
        common.put("spring.kafka.bootstrap-servers", settings.bootstrapServers());
        common.put("spring.datasource.url", settings.jdbcUrl());
        common.put("patchbay.schema-registry-url", settings.registryUrl());
        common.put("patchbay.topic-prefix", settings.topicPrefix());
        common.put("spring.main.banner-mode", "off");
        return common;
    }

    /** Settings as command-line arguments: they outrank each app's own properties file. */
    private static String[] args(Map<String, Object> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** Hashes API keys for adapters started here (unless a test overrides {@code patchbay.api.api-key-pepper}). */
    public static ApiKeyHasher apiKeyHasher() {
        return ApiKeyHasher.fromSettings(API_KEY_PEPPER, null);
    }

    /** The port the adapter listens on. */
    public int httpPort() {
        return localPort(adapter);
    }

    /** The processor's management port: {@code /actuator/health}. */
    public int processorManagementPort() {
        return localPort(processor);
    }

    /** The HTTP port a started app listens on. */
    public static int localPort(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
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
