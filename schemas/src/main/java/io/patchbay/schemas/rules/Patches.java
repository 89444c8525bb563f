package io.patchbay.schemas.rules;

import io.patchbay.schemas.Unset;

/** Reading three-state patch fields: {@link Unset} (absent), null (clear) or a value. */
public final class Patches {

    /** The absent state of a field; one instance serves every patch, as {@link Unset} has no state to change. */
    public static final Unset UNSET = new Unset();

    private Patches() {
    }

    public static boolean isSet(Object field) {
        return !(field instanceof Unset);
    }

    /** The field's value if set, else {@code current}. */
    @SuppressWarnings("unchecked")
    public static <T> T valueOr(Object field, T current) {
        return isSet(field) ? (T) field : current;
    }
}
