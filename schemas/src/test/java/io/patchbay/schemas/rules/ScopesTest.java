package io.patchbay.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.schemas.ResourceType;

class ScopesTest {

    @Test
    void eachResourceTypeHasItsOwnReadAndWriteScope() {
        assertThat(Scopes.write(ResourceType.EVALUATION)).isEqualTo("evaluations:write");
        assertThat(Scopes.read(ResourceType.EVALUATION)).isEqualTo("evaluations:read");
        assertThat(Scopes.write(ResourceType.AUTOMATION)).isEqualTo("automations:write");
        assertThat(Scopes.read(ResourceType.AUTOMATION)).isEqualTo("automations:read");
    }

    @Test
    void aScopeIsGrantedByItselfItsFamilyWildcardOrTheWildcardOnly() {
        assertThat(Scopes.grants(List.of(Scopes.EVALUATIONS_WRITE), Scopes.EVALUATIONS_WRITE)).isTrue();
        assertThat(Scopes.grants(List.of(Scopes.EVALUATIONS_ALL), Scopes.EVALUATIONS_WRITE)).isTrue();
        assertThat(Scopes.grants(List.of(Scopes.ALL), Scopes.AUTOMATIONS_WRITE)).isTrue();
        assertThat(Scopes.grants(List.of(Scopes.EVALUATIONS_READ), Scopes.EVALUATIONS_WRITE)).isFalse();
        assertThat(Scopes.grants(List.of(Scopes.EVALUATIONS_ALL), Scopes.AUTOMATIONS_READ)).isFalse();
        assertThat(Scopes.grants(List.of(), Scopes.AUTOMATIONS_READ)).isFalse();
    }
}
