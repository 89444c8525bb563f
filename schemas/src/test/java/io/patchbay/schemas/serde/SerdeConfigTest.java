package io.patchbay.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchbay.schemas.Actor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SerdeConfigTest {

    private static final String URL = "http://127.0.0.1:8081/apis/ccompat/v7";

    @Test
    void defaultsFollowConfluent() {
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, URL), false);

        assertThat(config.registryUrls()).containsExactly(URL);
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.latestCacheTtl()).isEmpty();
        assertThat(config.normalizeSchemas()).isFalse();
        assertThat(config.subjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.basicAuthUserInfo()).isEmpty();
        assertThat(config.bearerAuthToken()).isEmpty();
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.retriesWait()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.retriesMaxWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.isMock()).isFalse();
    }

    @Test
    void stringValuesAsInPropertiesFilesAreParsed() {
        SerdeConfig config = SerdeConfig.from(Map.of(
                SerdeConfig.SCHEMA_REGISTRY_URL, " http://a:8081 , http://b:8081/ ",
                SerdeConfig.AUTO_REGISTER_SCHEMAS, "FALSE",
                SerdeConfig.USE_LATEST_VERSION, "true",
                SerdeConfig.LATEST_CACHE_TTL_SEC, "60",
                SerdeConfig.NORMALIZE_SCHEMAS, "true",
                SerdeConfig.MAX_RETRIES, "5",
                SerdeConfig.RETRIES_WAIT_MS, "10",
                SerdeConfig.RETRIES_MAX_WAIT_MS, "1000",
                SerdeConfig.SPECIFIC_AVRO_READER, "true"), false);

        assertThat(config.registryUrls()).containsExactly("http://a:8081", "http://b:8081/");
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.latestCacheTtl()).contains(Duration.ofSeconds(60));
        assertThat(config.normalizeSchemas()).isTrue();
        assertThat(config.maxRetries()).isEqualTo(5);
        assertThat(config.retriesWait()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.specificAvroReader()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.confluent.kafka.serializers.subject.TopicRecordNameStrategy", "TopicRecordNameStrategy",
            "TOPIC_RECORD_NAME"})
    void subjectNameStrategiesAcceptConfluentClassNamesAndShortNames(String name) {
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, name,
                SerdeConfig.KEY_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false);

        assertThat(config.subjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
        assertThat(config.keySubjectNameStrategy()).isEqualTo(SubjectNameStrategy.RECORD_NAME);
        assertThat(SerdeConfig.from(Map.of(SerdeConfig.KEY_SUBJECT_NAME_STRATEGY, "RecordNameStrategy"), true)
                .subjectNameStrategy()).isEqualTo(SubjectNameStrategy.RECORD_NAME);
    }

    @Test
    void subjectNamesFollowTheStrategies() {
        assertThat(SubjectNameStrategy.TOPIC_NAME.subjectName("orders", false, Actor.SCHEMA$)).isEqualTo("orders-value");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subjectName("orders", true, Actor.SCHEMA$)).isEqualTo("orders-key");
        assertThat(SubjectNameStrategy.RECORD_NAME.subjectName("orders", false, Actor.SCHEMA$))
                .isEqualTo("io.patchbay.schemas.Actor");
        assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subjectName("orders", true, Actor.SCHEMA$))
                .isEqualTo("orders-io.patchbay.schemas.Actor");
    }

    @Test
    void anUnknownStrategyNamesTheKeyAndTheAcceptedValues() {
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "com.acme.Mine"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy")
                .hasMessageContaining("[TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy]");
    }

    @Test
    void anInvalidBooleanOrNumberNamesTheKey() {
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.AUTO_REGISTER_SCHEMAS, "yes"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auto.register.schemas");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.MAX_RETRIES, "many"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max.retries");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.MAX_RETRIES, -1), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max.retries");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.RETRIES_WAIT_MS, 500,
                SerdeConfig.RETRIES_MAX_WAIT_MS, 100), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retries.max.wait.ms");
    }

    @Test
    void basicAuthFromUserInfoIsKeptButNeverPrinted() {
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, URL,
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                SerdeConfig.BASIC_AUTH_USER_INFO, new Password("svc:s3cret")), false);

        assertThat(config.basicAuthUserInfo()).contains("svc:s3cret");
        assertThat(config.toString()).doesNotContain("s3cret").contains("basicAuth=***");
    }

    @Test
    void basicAuthFromTheUrlIsTakenOutOfTheUrl() {
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL,
                "http://svc:s3cret@127.0.0.1:8081/apis/ccompat/v7"), false);

        assertThat(config.basicAuthUserInfo()).contains("svc:s3cret");
        assertThat(config.registryUrls()).containsExactly(URL);
    }

    @Test
    void userInfoWithoutSourceIsUsedRatherThanSilentlyIgnored() {
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.BASIC_AUTH_USER_INFO, "svc:pw"), false);

        assertThat(config.basicAuthUserInfo()).contains("svc:pw");
    }

    @Test
    void authMisconfigurationsAreRefused() {
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SASL_INHERIT");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.BASIC_AUTH_USER_INFO, "a:b",
                SerdeConfig.BEARER_AUTH_TOKEN, "t0ken"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both").hasMessageNotContaining("t0ken");
    }

    @Test
    void aBearerTokenIsKeptButNeverPrinted() {
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                SerdeConfig.BEARER_AUTH_TOKEN, "t0ken"), false);

        assertThat(config.bearerAuthToken()).contains("t0ken");
        assertThat(config.toString()).doesNotContain("t0ken");
    }

    @Test
    void urlsAreValidated() {
        assertThat(SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://scope-a"), false).isMock()).isTrue();
        assertThat(SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, List.of("http://a:1", "http://b:2")), false)
                .registryUrls()).containsExactly("http://a:1", "http://b:2");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "ftp://x"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected http://, https:// or mock://");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scope name");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://a,http://b:1"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be combined");
    }

    @Test
    void aSpecificTypeIsLoadedAndImpliesTheSpecificReader() {
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, Actor.class.getName()), false);

        assertThat(config.specificAvroType()).contains(Actor.class);
        assertThat(config.specificAvroReader()).isTrue();
        assertThat(SerdeConfig.from(Map.of(SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, Actor.class.getName()), true)
                .specificAvroType()).as("the key side has its own key").isEmpty();
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, "java.lang.String"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not an Avro SpecificRecord");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SPECIFIC_AVRO_KEY_TYPE, "com.acme.Missing"), true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("class not found");
    }
}
