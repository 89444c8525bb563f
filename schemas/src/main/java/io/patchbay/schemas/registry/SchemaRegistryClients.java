package io.patchbay.schemas.registry;

import io.patchbay.schemas.registry.internal.CachingSchemaRegistryClient;
import io.patchbay.schemas.registry.internal.ConnectionSettings;
import io.patchbay.schemas.registry.internal.HttpSchemaRegistryClient;
import io.patchbay.schemas.registry.internal.InMemorySchemaRegistry;
import io.patchbay.schemas.serde.SerdeConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where {@link SchemaRegistryClient}s come from. Clients are shared within the JVM: one per registry URL,
 * credentials and retry settings, so that every serializer and deserializer of a process shares one id cache.
 * A {@code mock://<scope>} URL gives an in-memory registry, one per scope name, for unit tests.
 */
public final class SchemaRegistryClients {

    private static final Map<ConnectionSettings, SchemaRegistryClient> HTTP_CLIENTS = new ConcurrentHashMap<>();
    private static final Map<String, SchemaRegistryClient> MOCK_SCOPES = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    /**
     * The shared client for {@code config}'s registry.
     *
     * @throws ConfigException when {@value SerdeConfig#SCHEMA_REGISTRY_URL} is missing
     */
    public static SchemaRegistryClient create(SerdeConfig config) {
        if (config.registryUrls().isEmpty()) {
            throw new ConfigException("Missing required configuration \"" + SerdeConfig.SCHEMA_REGISTRY_URL
                    + "\" (e.g. http://127.0.0.1:8081/apis/ccompat/v7, or mock://<scope> in unit tests)");
        }
        if (config.isMock()) {
            return mockScope(config.registryUrls().get(0));
        }
        String authorization = config.basicAuthUserInfo()
                .map(userInfo -> "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)))
                .orElse(config.bearerAuthToken().map(token -> "Bearer " + token).orElse(null));
        ConnectionSettings settings = new ConnectionSettings(
                config.registryUrls().stream().map(URI::create).toList(), authorization, config.maxRetries(),
                config.retriesWait(), config.retriesMaxWait(), config.connectTimeout(), config.readTimeout());
        return HTTP_CLIENTS.computeIfAbsent(settings,
                s -> new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(s)));
    }

    /** The shared client for {@code url} with default settings and no credentials (or those in the URL). */
    public static SchemaRegistryClient forUrl(String url) {
        return create(SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false));
    }

    /** Forgets the in-memory registry of {@code mock://<scope>}; the next use starts empty. */
    public static void dropMockScope(String scope) {
        MOCK_SCOPES.remove(scopeName(scope));
    }

    private static SchemaRegistryClient mockScope(String url) {
        String scope = scopeName(url);
        return MOCK_SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry(SerdeConfig.MOCK_SCHEME + "://" + s));
    }

    private static String scopeName(String scopeOrUrl) {
        String scope = scopeOrUrl.regionMatches(true, 0, "mock://", 0, 7) ? scopeOrUrl.substring(7) : scopeOrUrl;
        return scope.endsWith("/") ? scope.substring(0, scope.length() - 1) : scope;
    }
}
