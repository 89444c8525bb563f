package io.patchbay.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject, as the registry reports it.
 *
 * @param subject the subject
 * @param id the schema id (global; the same schema under several subjects has one id)
 * @param version the version number within the subject, starting at 1
 * @param schema the parsed schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {

    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
