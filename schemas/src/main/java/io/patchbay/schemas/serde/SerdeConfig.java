package io.patchbay.schemas.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The parsed configuration of {@link ConfluentAvroSerializer} and {@link ConfluentAvroDeserializer}, read from
 * Kafka's usual {@code Map<String, ?>} with Confluent's key names, so that a standard producer or consumer
 * configuration reads naturally. Values may be strings or typed (Boolean, Number, Class, List). Unknown keys
 * are ignored (producer and consumer settings share the map). Immutable; {@link #toString()} masks
 * credentials.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>Key</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@value #SCHEMA_REGISTRY_URL}</td><td>required</td><td>Comma-separated base URLs (tried in order on
 *       failure), e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}; {@code mock://<scope>} for an in-memory
 *       registry shared per scope in the JVM</td></tr>
 *   <tr><td>{@value #AUTO_REGISTER_SCHEMAS}</td><td>true</td><td>Serializer registers the record's schema;
 *       when false it looks the id up and fails if unregistered</td></tr>
 *   <tr><td>{@value #USE_LATEST_VERSION}</td><td>false</td><td>Serializer writes with the subject's latest
 *       version (which must be able to read the record's schema) instead of registering</td></tr>
 *   <tr><td>{@value #LATEST_CACHE_TTL_SEC}</td><td>-1</td><td>How long the latest version is cached; negative:
 *       for the life of the serializer</td></tr>
 *   <tr><td>{@value #NORMALIZE_SCHEMAS}</td><td>false</td><td>Ask the registry to normalize on register and
 *       lookup</td></tr>
 *   <tr><td>{@value #KEY_SUBJECT_NAME_STRATEGY}, {@value #VALUE_SUBJECT_NAME_STRATEGY}</td>
 *       <td>TopicNameStrategy</td><td>See {@link SubjectNameStrategy#parse(Object)}</td></tr>
 *   <tr><td>{@value #SPECIFIC_AVRO_READER}</td><td>false</td><td>Deserializer returns generated SpecificRecord
 *       classes (found by the writer schema's full name) instead of GenericRecord</td></tr>
 *   <tr><td>{@value #SPECIFIC_AVRO_KEY_TYPE}, {@value #SPECIFIC_AVRO_VALUE_TYPE}</td><td>none</td><td>A fixed
 *       SpecificRecord class to read into, whatever the writer's name (implies the specific reader)</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_CREDENTIALS_SOURCE}</td><td>URL, or USER_INFO when
 *       {@value #BASIC_AUTH_USER_INFO} is set</td><td>USER_INFO: {@value #BASIC_AUTH_USER_INFO}
 *       ({@code user:password}); URL: the user info of the registry URL</td></tr>
 *   <tr><td>{@value #BEARER_AUTH_CREDENTIALS_SOURCE}, {@value #BEARER_AUTH_TOKEN}</td><td>none</td>
 *       <td>STATIC_TOKEN with a token sent as {@code Authorization: Bearer}</td></tr>
 *   <tr><td>{@value #MAX_RETRIES}</td><td>3</td><td>Retries after the first attempt, on I/O errors, 5xx, 408
 *       and 429</td></tr>
 *   <tr><td>{@value #RETRIES_WAIT_MS}, {@value #RETRIES_MAX_WAIT_MS}</td><td>200, 5000</td><td>First backoff
 *       and its cap; doubled per retry, with jitter</td></tr>
 *   <tr><td>{@value #HTTP_CONNECT_TIMEOUT_MS}, {@value #HTTP_READ_TIMEOUT_MS}</td><td>5000, 10000</td>
 *       <td>Per attempt</td></tr>
 * </table>
 */
public final class SerdeConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String NORMALIZE_SCHEMAS = "normalize.schemas";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Confluent's older alias of {@link #BASIC_AUTH_USER_INFO}. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

    /** URL scheme of the in-memory registry. */
    public static final String MOCK_SCHEME = "mock";

    private final boolean isKey;
    private final List<String> registryUrls;
    private final boolean autoRegisterSchemas;
    private final boolean useLatestVersion;
    private final Duration latestCacheTtl;
    private final boolean normalizeSchemas;
    private final SubjectNameStrategy keySubjectNameStrategy;
    private final SubjectNameStrategy valueSubjectNameStrategy;
    private final boolean specificAvroReader;
    private final Class<? extends SpecificRecord> specificAvroType;
    private final String basicAuthUserInfo;
    private final String bearerAuthToken;
    private final int maxRetries;
    private final Duration retriesWait;
    private final Duration retriesMaxWait;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    private SerdeConfig(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        this.autoRegisterSchemas = bool(configs, AUTO_REGISTER_SCHEMAS, true);
        this.useLatestVersion = bool(configs, USE_LATEST_VERSION, false);
        long ttl = number(configs, LATEST_CACHE_TTL_SEC, -1);
        this.latestCacheTtl = ttl < 0 ? null : Duration.ofSeconds(ttl);
        this.normalizeSchemas = bool(configs, NORMALIZE_SCHEMAS, false);
        this.keySubjectNameStrategy = strategy(configs, KEY_SUBJECT_NAME_STRATEGY);
        this.valueSubjectNameStrategy = strategy(configs, VALUE_SUBJECT_NAME_STRATEGY);
        this.specificAvroType = specificType(configs, isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE);
        this.specificAvroReader = bool(configs, SPECIFIC_AVRO_READER, false) || specificAvroType != null;
        this.maxRetries = (int) nonNegative(configs, MAX_RETRIES, 3);
        this.retriesWait = Duration.ofMillis(nonNegative(configs, RETRIES_WAIT_MS, 200));
        this.retriesMaxWait = Duration.ofMillis(nonNegative(configs, RETRIES_MAX_WAIT_MS, 5_000));
        if (retriesMaxWait.compareTo(retriesWait) < 0) {
            throw new ConfigException(RETRIES_MAX_WAIT_MS + " (" + retriesMaxWait.toMillis() + ") must not be less than "
                    + RETRIES_WAIT_MS + " (" + retriesWait.toMillis() + ")");
        }
        this.connectTimeout = Duration.ofMillis(positive(configs, HTTP_CONNECT_TIMEOUT_MS, 5_000));
        this.readTimeout = Duration.ofMillis(positive(configs, HTTP_READ_TIMEOUT_MS, 10_000));

        String urlUserInfo = null;
        List<String> plainUrls = new ArrayList<>();
        for (String text : urlTexts(configs.get(SCHEMA_REGISTRY_URL))) {
            if (isMockUrl(text)) {
                String scope = text.substring(MOCK_SCHEME.length() + 3).replaceAll("/+$", "");
                if (scope.isBlank()) {
                    throw new ConfigException(SCHEMA_REGISTRY_URL + ": a mock URL needs a scope name, e.g. mock://my-test");
                }
                plainUrls.add(MOCK_SCHEME + "://" + scope);
                continue;
            }
            URI url = httpUrl(text);
            if (url.getRawUserInfo() != null && urlUserInfo == null) {
                urlUserInfo = URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8);
            }
            plainUrls.add(withoutUserInfo(url));
        }
        this.registryUrls = List.copyOf(plainUrls);
        if (registryUrls.size() > 1 && registryUrls.stream().anyMatch(SerdeConfig::isMockUrl)) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + ": a mock:// URL cannot be combined with others");
        }

        String userInfo = string(configs, BASIC_AUTH_USER_INFO);
        if (userInfo == null) {
            userInfo = string(configs, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
        }
        String basicSource = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE);
        basicSource = basicSource == null ? (userInfo != null ? "USER_INFO" : "URL") : basicSource.toUpperCase(Locale.ROOT);
        this.basicAuthUserInfo = switch (basicSource) {
            case "USER_INFO" -> {
                if (userInfo == null || !userInfo.contains(":")) {
                    throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO needs " + BASIC_AUTH_USER_INFO
                            + " as user:password");
                }
                yield userInfo;
            }
            case "URL" -> urlUserInfo;
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + ": unsupported source '" + basicSource
                    + "'; expected USER_INFO or URL");
        };

        String token = string(configs, BEARER_AUTH_TOKEN);
        String bearerSource = string(configs, BEARER_AUTH_CREDENTIALS_SOURCE);
        if (bearerSource != null && !bearerSource.equalsIgnoreCase("STATIC_TOKEN")) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE + ": unsupported source '" + bearerSource
                    + "'; expected STATIC_TOKEN");
        }
        if (bearerSource != null && token == null) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE + "=STATIC_TOKEN needs " + BEARER_AUTH_TOKEN);
        }
        this.bearerAuthToken = token;
        if (basicAuthUserInfo != null && bearerAuthToken != null) {
            throw new ConfigException("configure either basic auth or " + BEARER_AUTH_TOKEN + ", not both");
        }
    }

    /**
     * Parses {@code configs} for the key side ({@code isKey}) or the value side.
     *
     * @throws ConfigException naming the key of any invalid value
     */
    public static SerdeConfig from(Map<String, ?> configs, boolean isKey) {
        return new SerdeConfig(configs == null ? Map.of() : configs, isKey);
    }

    public boolean isKey() {
        return isKey;
    }

    /** The registry base URLs without user info; empty when none is configured. */
    public List<String> registryUrls() {
        return registryUrls;
    }

    /** Whether {@link #registryUrls()} names the in-memory registry ({@code mock://<scope>}). */
    public boolean isMock() {
        return registryUrls.size() == 1 && isMockUrl(registryUrls.get(0));
    }

    public boolean autoRegisterSchemas() {
        return autoRegisterSchemas;
    }

    public boolean useLatestVersion() {
        return useLatestVersion;
    }

    /** How long a latest version stays cached; empty for "for the life of the serializer". */
    public Optional<Duration> latestCacheTtl() {
        return Optional.ofNullable(latestCacheTtl);
    }

    public boolean normalizeSchemas() {
        return normalizeSchemas;
    }

    public SubjectNameStrategy keySubjectNameStrategy() {
        return keySubjectNameStrategy;
    }

    public SubjectNameStrategy valueSubjectNameStrategy() {
        return valueSubjectNameStrategy;
    }

    /** The strategy of this side ({@link #isKey()}). */
    public SubjectNameStrategy subjectNameStrategy() {
        return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
    }

    public boolean specificAvroReader() {
        return specificAvroReader;
    }

    /** The fixed reader class of this side, if configured. */
    public Optional<Class<? extends SpecificRecord>> specificAvroType() {
        return Optional.ofNullable(specificAvroType);
    }

    /** {@code user:password} for basic auth, if configured. */
    public Optional<String> basicAuthUserInfo() {
        return Optional.ofNullable(basicAuthUserInfo);
    }

    public Optional<String> bearerAuthToken() {
        return Optional.ofNullable(bearerAuthToken);
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration retriesWait() {
        return retriesWait;
    }

    public Duration retriesMaxWait() {
        return retriesMaxWait;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public String toString() {
        return "SerdeConfig[" + (isKey ? "key" : "value") + ", urls=" + registryUrls
                + ", autoRegister=" + autoRegisterSchemas + ", useLatestVersion=" + useLatestVersion
                + ", normalize=" + normalizeSchemas + ", subjectNameStrategy=" + subjectNameStrategy().confluentName()
                + ", specificAvroReader=" + specificAvroReader
                + (specificAvroType == null ? "" : ", specificAvroType=" + specificAvroType.getName())
                + (basicAuthUserInfo == null ? "" : ", basicAuth=***")
                + (bearerAuthToken == null ? "" : ", bearerAuth=***")
                + ", maxRetries=" + maxRetries + "]";
    }

    // ------------------------------------------------------------------------------------------------------

    static boolean isMockUrl(String url) {
        return url.regionMatches(true, 0, MOCK_SCHEME + "://", 0, MOCK_SCHEME.length() + 3);
    }

    private static List<String> urlTexts(Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(item -> texts.add(String.valueOf(item).trim()));
        } else {
            for (String text : String.valueOf(value).split(",")) {
                texts.add(text.trim());
            }
        }
        texts.removeIf(String::isEmpty);
        return texts;
    }

    private static URI httpUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // the input may carry credentials: show only the parser's reason
            throw new ConfigException(SCHEMA_REGISTRY_URL + ": not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + ": expected http://, https:// or mock:// URLs, not '"
                    + withoutUserInfo(uri) + "'");
        }
        return uri;
    }

    private static String withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        String text = uri.toString();
        return text.replaceFirst("//[^@/]*@", "//");
    }

    private static String string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return null;
        }
        String text = value instanceof Password password
                ? password.value() : String.valueOf(value).trim();
        return text.isEmpty() ? null : text;
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    private static long number(Map<String, ?> configs, String key, long defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "expected an integer");
        }
    }

    private static long nonNegative(Map<String, ?> configs, String key, long defaultValue) {
        long value = number(configs, key, defaultValue);
        if (value < 0) {
            throw new ConfigException(key, value, "must not be negative");
        }
        return value;
    }

    private static long positive(Map<String, ?> configs, String key, long defaultValue) {
        long value = number(configs, key, defaultValue);
        if (value <= 0) {
            throw new ConfigException(key, value, "must be positive");
        }
        return value;
    }

    private static SubjectNameStrategy strategy(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return SubjectNameStrategy.TOPIC_NAME;
        }
        try {
            return SubjectNameStrategy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage());
        }
    }

    private static Class<? extends SpecificRecord> specificType(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            return null;
        }
        Class<?> type;
        if (value instanceof Class<?> c) {
            type = c;
        } else {
            String name = String.valueOf(value).trim();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try {
                type = Class.forName(name, true, loader != null ? loader : SerdeConfig.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ConfigException(key, name, "class not found");
            }
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(key, type.getName(), "not an Avro SpecificRecord class");
        }
        return type.asSubclass(SpecificRecord.class);
    }
}
