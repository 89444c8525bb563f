package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChildArgumentsTest {

    @Test
    void theCrudServersOptionsHaveTheirDefaultsAndTakeKeyEqualsValue() {
        CrudServer.Options defaults = ChildArguments.parse(new CrudServer.Options(), "--jdbc-url=jdbc:postgresql://h/db");
        CrudServer.Options set = ChildArguments.parse(new CrudServer.Options(), "--jdbc-url=jdbc:x", "--pool=4", "--threads=8");

        assertThat(defaults.jdbcUrl).isEqualTo("jdbc:postgresql://h/db");
        assertThat(defaults.pool).isEqualTo(16);
        assertThat(defaults.threads).isEqualTo(64);
        assertThat(set.pool).isEqualTo(4);
        assertThat(set.threads).isEqualTo(8);
    }

    @Test
    void aMissingUnknownOrMalformedOptionIsRefusedWithTheUsage() {
        assertThatThrownBy(() -> ChildArguments.parse(new CrudServer.Options(), "--pool=4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--jdbc-url").hasMessageContaining("Usage");
        assertThatThrownBy(() -> ChildArguments.parse(new CrudServer.Options(), "--jdbc-url=x", "--pol=4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--pol=4");
        assertThatThrownBy(() -> ChildArguments.parse(new CrudServer.Options(), "--jdbc-url=x", "--pool=many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("many");
    }
}
