package io.patchbay.schemas.registry.internal;

import io.patchbay.schemas.internal.AvroCompatibility;
import io.patchbay.schemas.registry.IncompatibleSchemaException;
import io.patchbay.schemas.registry.RegisteredSchema;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SubjectNotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A registry in memory, for unit tests ({@code mock://<scope>} URLs). It follows the Confluent semantics that
 * matter to a serde: ids are global and given per distinct schema (the same schema under two subjects has one
 * id), re-registering returns the existing id, and registration is checked against the subject's compatibility
 * level (default BACKWARD) with Avro's {@code SchemaCompatibility}. Schemas are compared with
 * {@link Schema#equals}, so {@code normalize} changes nothing here. Thread-safe (one lock).
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final String name;
    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, String> compatibilityBySubject = new HashMap<>();
    private String globalCompatibility = "BACKWARD";

    public InMemorySchemaRegistry(String name) {
        this.name = name;
    }

    @Override
    public synchronized int register(String subject, Schema schema, boolean normalize) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer existing = idsBySchema.get(schema);
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        List<String> problems = compatibilityProblems(subject, schema);
        if (!problems.isEmpty()) {
            if (versions.isEmpty()) {
                versionsBySubject.remove(subject);
            }
            throw new IncompatibleSchemaException(name + ": schema " + schema.getFullName()
                    + " is incompatible with subject '" + subject + "' (" + compatibilityOf(subject) + "): "
                    + String.join("; ", problems), 409, 409);
        }
        int id = existing != null ? existing : assignId(schema);
        versions.add(id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema, boolean normalize) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SubjectNotFoundException(name + ": subject '" + subject + "' not found", 404, 40401);
        }
        Integer id = idsBySchema.get(schema);
        if (id == null || !versions.contains(id)) {
            throw new SchemaNotFoundException(name + ": schema " + schema.getFullName()
                    + " is not registered under subject '" + subject + "'", 404, 40403);
        }
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw new SchemaNotFoundException(name + ": schema id " + id + " not found", 404, 40403);
        }
        return schemasById.get(id - 1);
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SubjectNotFoundException(name + ": subject '" + subject + "' not found", 404, 40401);
        }
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, id, versions.size(), schemasById.get(id - 1));
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return compatibilityProblems(subject, schema).isEmpty();
    }

    @Override
    public synchronized String getCompatibility(String subject) {
        return subject == null ? globalCompatibility : compatibilityOf(subject);
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        String normalized = HttpSchemaRegistryClient.checkLevel(level);
        if (subject == null) {
            globalCompatibility = normalized;
        } else {
            compatibilityBySubject.put(subject, normalized);
        }
    }

    private String compatibilityOf(String subject) {
        return compatibilityBySubject.getOrDefault(subject, globalCompatibility);
    }

    private int assignId(Schema schema) {
        schemasById.add(schema);
        int id = schemasById.size();
        idsBySchema.put(schema, id);
        return id;
    }

    private List<String> compatibilityProblems(String subject, Schema candidate) {
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return List.of();
        }
        String level = compatibilityOf(subject);
        if (level.equals("NONE")) {
            return List.of();
        }
        List<Integer> against = level.endsWith("_TRANSITIVE") ? versions
                : List.of(versions.get(versions.size() - 1));
        List<String> problems = new ArrayList<>();
        for (int id : against) {
            Schema existing = schemasById.get(id - 1);
            if (level.startsWith("BACKWARD") || level.startsWith("FULL")) {
                problems.addAll(AvroCompatibility.problems(candidate, existing));
            }
            if (level.startsWith("FORWARD") || level.startsWith("FULL")) {
                problems.addAll(AvroCompatibility.problems(existing, candidate));
            }
        }
        return problems;
    }

    @Override
    public String toString() {
        return "InMemorySchemaRegistry[" + name + "]";
    }
}
