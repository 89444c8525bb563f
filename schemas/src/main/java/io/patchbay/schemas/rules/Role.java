package io.patchbay.schemas.rules;

import java.util.Locale;
import java.util.Optional;

/** API key roles, in ascending order of power. */
public enum Role {
    VIEWER, EDITOR, ADMIN, OWNER;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
