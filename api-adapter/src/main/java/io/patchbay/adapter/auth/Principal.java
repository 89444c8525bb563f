package io.patchbay.adapter.auth;

import java.util.List;

import io.patchbay.schemas.rules.Role;
import io.patchbay.schemas.rules.Scopes;

/** The authenticated caller: an API key, its team, role and scopes. */
public record Principal(String keyId, String teamId, Role role, List<String> scopes) {

    public boolean has(String scope) {
        return Scopes.grants(scopes, scope);
    }
}
