package io.patchbay.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchbay.schemas.serde.SerdeConfig;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Tiny").namespace("test").fields()
            .requiredInt("n").endRecord();

    @Test
    void oneClientIsSharedPerUrlAndCredentials() {
        SchemaRegistryClient a = SchemaRegistryClients.forUrl("http://127.0.0.1:1/apis/ccompat/v7");
        SchemaRegistryClient b = SchemaRegistryClients.create(SerdeConfig.from(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1/apis/ccompat/v7"), true));
        SchemaRegistryClient withCredentials = SchemaRegistryClients.create(SerdeConfig.from(Map.of(
                SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1/apis/ccompat/v7",
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                SerdeConfig.BASIC_AUTH_USER_INFO, "user:secret"), false));
        SchemaRegistryClient otherUrl = SchemaRegistryClients.forUrl("http://127.0.0.1:2/apis/ccompat/v7");

        assertThat(b).isSameAs(a);
        assertThat(withCredentials).isNotSameAs(a);
        assertThat(otherUrl).isNotSameAs(a);
        assertThat(withCredentials.toString()).doesNotContain("secret");
    }

    @Test
    void aMockScopeIsOneInMemoryRegistrySharedByName() {
        SchemaRegistryClients.dropMockScope("clients-test");
        SchemaRegistryClient first = SchemaRegistryClients.forUrl("mock://clients-test");
        int id = first.register("s", SCHEMA);

        assertThat(SchemaRegistryClients.forUrl("mock://clients-test")).isSameAs(first);
        assertThat(SchemaRegistryClients.forUrl("mock://clients-test").getById(id)).isEqualTo(SCHEMA);
        assertThatThrownBy(() -> SchemaRegistryClients.forUrl("mock://another-scope").lookup("s", SCHEMA))
                .isInstanceOf(SubjectNotFoundException.class);

        SchemaRegistryClients.dropMockScope("clients-test");
        assertThatThrownBy(() -> SchemaRegistryClients.forUrl("mock://clients-test").getById(id))
                .isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void aMissingUrlIsAConfigurationError() {
        assertThatThrownBy(() -> SchemaRegistryClients.create(SerdeConfig.from(Map.of(), false)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }
}
