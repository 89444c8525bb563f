package io.patchbay.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry REST API that a serde, a build step or an operator needs.
 *
 * <p>Obtain instances from {@link SchemaRegistryClients}: they are thread-safe, shared per registry URL and
 * credentials within the JVM, and cache what never changes (subject + schema &rarr; id, id &rarr; schema).
 *
 * <p>Every method throws {@link SchemaRegistryException} or a subclass on failure:
 * {@link RegistryNotFoundException} (any 404), {@link IncompatibleSchemaException} (409),
 * {@link InvalidSchemaException} (422), {@link RegistryAuthException} (401/403) and
 * {@link RegistryUnavailableException} (I/O errors and 5xx, after bounded retries).
 */
public interface SchemaRegistryClient {

    /** Compatibility levels the registry understands, for {@link #setCompatibility(String, String)}. */
    List<String> COMPATIBILITY_LEVELS = List.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}) and returns its
     * id. Registering a schema that is already registered returns the existing id.
     *
     * @param normalize ask the registry to normalize the schema first ({@code ?normalize=true})
     * @throws IncompatibleSchemaException if the subject's compatibility level refuses the schema
     */
    int register(String subject, Schema schema, boolean normalize);

    /** {@link #register(String, Schema, boolean)} without normalization. */
    default int register(String subject, Schema schema) {
        return register(subject, schema, false);
    }

    /**
     * Returns the id of {@code schema}, which must already be registered under {@code subject}
     * ({@code POST /subjects/{subject}}).
     *
     * @throws RegistryNotFoundException if it is not (a {@link SubjectNotFoundException} or
     *         {@link SchemaNotFoundException}, as far as the registry's sub-code tells)
     */
    int lookup(String subject, Schema schema, boolean normalize);

    /** {@link #lookup(String, Schema, boolean)} without normalization. */
    default int lookup(String subject, Schema schema) {
        return lookup(subject, schema, false);
    }

    /**
     * The schema with this id ({@code GET /schemas/ids/{id}}). Ids are immutable, so answers are cached for the
     * life of the client.
     *
     * @throws SchemaNotFoundException if no schema has this id
     */
    Schema getById(int id);

    /**
     * The latest version registered under {@code subject} ({@code GET /subjects/{subject}/versions/latest}).
     *
     * @throws SubjectNotFoundException if nothing is registered under it
     */
    RegisteredSchema latest(String subject);

    /**
     * Whether the subject's compatibility level would accept {@code schema} as its next version
     * ({@code POST /compatibility/subjects/{subject}/versions/latest}). A subject with no versions accepts
     * anything, so this answers {@code true} for it.
     */
    boolean isCompatible(String subject, Schema schema);

    /**
     * The compatibility level of {@code subject}, falling back to the global level when the subject has none of
     * its own; the global level when {@code subject} is {@code null} ({@code GET /config[/{subject}]}).
     */
    String getCompatibility(String subject);

    /**
     * Sets the compatibility level of {@code subject}, or the global level when {@code subject} is {@code null}
     * ({@code PUT /config[/{subject}]}).
     *
     * @param level one of {@link #COMPATIBILITY_LEVELS}
     * @throws IllegalArgumentException for any other level
     */
    void setCompatibility(String subject, String level);
}
