package io.patchbay.schemas.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchbay.schemas.registry.IncompatibleSchemaException;
import io.patchbay.schemas.registry.RegisteredSchema;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.registry.SubjectNotFoundException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private static final Schema V1 = SchemaBuilder.record("Order").namespace("test").fields()
            .requiredString("id").endRecord();
    private static final Schema V2_OPTIONAL_FIELD = SchemaBuilder.record("Order").namespace("test").fields()
            .requiredString("id").optionalString("note").endRecord();
    private static final Schema V2_REQUIRED_FIELD = SchemaBuilder.record("Order").namespace("test").fields()
            .requiredString("id").requiredString("customer").endRecord();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("mock://test");

    @Test
    void reRegisteringTheSameSchemaReturnsTheSameId() {
        int id = registry.register("orders-value", V1);

        assertThat(registry.register("orders-value", V1)).isEqualTo(id);
        assertThat(registry.latest("orders-value").version()).isEqualTo(1);
    }

    @Test
    void theSameSchemaUnderAnotherSubjectGetsTheSameId() {
        assertThat(registry.register("b-value", V1)).isEqualTo(registry.register("a-value", V1));
    }

    @Test
    void aBackwardCompatibleVersionIsAddedAndBecomesLatest() {
        registry.register("orders-value", V1);
        int id = registry.register("orders-value", V2_OPTIONAL_FIELD);

        assertThat(registry.latest("orders-value")).isEqualTo(new RegisteredSchema("orders-value", id, 2, V2_OPTIONAL_FIELD));
        assertThat(registry.lookup("orders-value", V1)).isNotEqualTo(id);
    }

    @Test
    void anIncompatibleVersionIsRefusedNamingTheField() {
        registry.register("orders-value", V1);

        assertThat(registry.isCompatible("orders-value", V2_REQUIRED_FIELD)).isFalse();
        assertThatThrownBy(() -> registry.register("orders-value", V2_REQUIRED_FIELD))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("(BACKWARD)")
                .hasMessageContaining("field 'customer'");
        assertThat(registry.latest("orders-value").version()).isEqualTo(1);
    }

    @Test
    void levelNoneAcceptsAnything() {
        registry.register("orders-value", V1);
        registry.setCompatibility("orders-value", "NONE");

        registry.register("orders-value", V2_REQUIRED_FIELD);

        assertThat(registry.getCompatibility("orders-value")).isEqualTo("NONE");
        assertThat(registry.getCompatibility(null)).isEqualTo("BACKWARD");
    }

    @Test
    void forwardChecksThatTheOldSchemaCanReadTheNewOne() {
        registry.setCompatibility(null, "FORWARD");
        registry.register("orders-value", V2_OPTIONAL_FIELD);

        // the registered schema must read data of the candidate: its extra field 'note' has a default
        assertThat(registry.isCompatible("orders-value", V1)).isTrue();
        assertThat(registry.isCompatible("orders-value", V2_REQUIRED_FIELD)).isTrue();
        registry.register("orders-value", V2_REQUIRED_FIELD);
        assertThat(registry.isCompatible("orders-value",
                SchemaBuilder.record("Order").namespace("test").fields().requiredInt("id").endRecord())).isFalse();
    }

    @Test
    void lookupDistinguishesAnUnknownSubjectFromAnUnregisteredSchema() {
        assertThatThrownBy(() -> registry.lookup("orders-value", V1)).isInstanceOf(SubjectNotFoundException.class);
        registry.register("orders-value", V1);
        assertThatThrownBy(() -> registry.lookup("orders-value", V2_OPTIONAL_FIELD))
                .isInstanceOf(SchemaNotFoundException.class);
        assertThatThrownBy(() -> registry.getById(99)).isInstanceOf(SchemaNotFoundException.class);
    }
}
