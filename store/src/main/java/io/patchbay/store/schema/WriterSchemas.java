package io.patchbay.store.schema;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

/** The {@code writer_schema} table: each writer schema of stored change events, by fingerprint. */
public final class WriterSchemas {

    /** Stores {@code schema} unless a schema with its fingerprint is stored already (the first one stays). */
    public void save(Handle handle, WriterSchema schema) {
        handle.createUpdate("insert into writer_schema (fingerprint, subject, schema_text, registered_id)"
                        + " values (:fingerprint, :subject, :schemaText, :registeredId) on conflict (fingerprint) do nothing")
                .bindMethods(schema).execute();
    }

    public Optional<WriterSchema> find(Handle handle, byte[] fingerprint) {
        return handle.createQuery("select fingerprint, subject, schema_text, registered_id from writer_schema"
                        + " where fingerprint = :fingerprint")
                .bind("fingerprint", fingerprint).mapTo(WriterSchema.class).findOne();
    }

    /** The stored schemas among {@code fingerprints} (not empty). */
    public List<WriterSchema> findAll(Handle handle, Collection<byte[]> fingerprints) {
        return handle.createQuery("select fingerprint, subject, schema_text, registered_id from writer_schema"
                        + " where fingerprint in (<fingerprints>)")
                .bindList("fingerprints", List.copyOf(fingerprints)).mapTo(WriterSchema.class).list();
    }
}
