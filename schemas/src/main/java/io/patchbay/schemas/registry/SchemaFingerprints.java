package io.patchbay.schemas.registry;

import java.security.NoSuchAlgorithmException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The identity of a writer schema independent of any registry: SHA-256 of its Avro Parsing Canonical Form. Two
 * schemas with the same fingerprint decode the same bytes the same way (docs, defaults and aliases are not part of
 * the form), so a registry id is trusted for a stored event only when the registry's schema under that id has the
 * fingerprint the event was written with.
 */
public final class SchemaFingerprints {

    /** Length of a fingerprint. */
    public static final int BYTES = 32;

    private SchemaFingerprints() {
    }

    /** SHA-256 of {@code schema}'s Parsing Canonical Form. */
    public static byte[] of(Schema schema) {
        try {
            return SchemaNormalization.parsingFingerprint("SHA-256", schema);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** {@link #of(Schema)} of the schema that {@code text} (Avro JSON) defines. */
    public static byte[] of(String text) {
        return of(parse(text));
    }

    /** Parses a stored or registered writer schema as the registry client does (defaults not validated). */
    public static Schema parse(String text) {
        return new Schema.Parser().setValidateDefaults(false).parse(text);
    }
}
