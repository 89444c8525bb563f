package io.patchbay.processor.application;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.schemas.registry.SchemaFingerprints;
import io.patchbay.store.schema.WriterSchema;
import io.patchbay.store.schema.WriterSchemas;

/**
 * Keeps each writer schema of change events beside the change log ({@code writer_schema}), so that stored events stay
 * readable and re-publishable when the registry loses or reassigns their ids. A schema is stored the first time this
 * process serializes an event with it under a registry id, in its own short transaction (committed even if the batch
 * then rolls back, so a row never names a schema that is not stored); after that it costs a map lookup.
 */
final class WriterSchemaRecorder {

    private record Key(Schema schema, int id) {
    }

    private final Jdbi jdbi;
    private final WriterSchemas schemas = new WriterSchemas();
    private final Map<Key, byte[]> recorded = new ConcurrentHashMap<>();

    WriterSchemaRecorder(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The fingerprint of {@code schema}, stored with {@code subject} and {@code id} unless this process did already. */
    byte[] fingerprint(Schema schema, String subject, int id) {
        return recorded.computeIfAbsent(new Key(schema, id), key -> {
            byte[] fingerprint = SchemaFingerprints.of(schema);
            jdbi.useHandle(h -> schemas.save(h, new WriterSchema(fingerprint, subject, schema.toString(), id)));
            return fingerprint;
        });
    }
}
