package io.patchbay.store.schema;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.registry.SchemaFingerprints;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SchemaRegistryException;

/**
 * Gives change-log rows written before writer schemas were kept ({@code writer_fingerprint} null) their writer schema,
 * looked up by the schema id in their header in the registry as it is now. A schema is taken only when it is a change
 * event of the row's resource type (its full name) and the oldest and newest row of that id decode with it to their
 * last byte; otherwise (the registry lost the id, or gave it to another schema) the rows stay without one and are
 * reported. Run by the processor at start and by {@code patchbay-admin replay}; idempotent, and cheap once done (a
 * partial index holds only the rows still without a schema).
 */
public final class WriterSchemaBackfill {

    private static final Map<String, String> EVENT_SCHEMAS = Map.of(
            ResourceType.EVALUATION.name(), EvaluationChanged.getClassSchema().getFullName(),
            ResourceType.AUTOMATION.name(), AutomationChanged.getClassSchema().getFullName());

    private final Jdbi jdbi;
    private final SchemaRegistryClient registry;
    private final Topics topics;
    private final WriterSchemas schemas = new WriterSchemas();

    public WriterSchemaBackfill(Jdbi jdbi, SchemaRegistryClient registry, Topics topics) {
        this.jdbi = jdbi;
        this.registry = registry;
        this.topics = topics;
    }

    /**
     * What a run did.
     *
     * @param filled rows that got their writer schema
     * @param unresolved one line per schema id that could not be resolved, with why and how many rows it leaves
     */
    public record Report(long filled, List<String> unresolved) {

        /** Rows still without a writer schema are only those {@link #unresolved} counts. */
        public boolean complete() {
            return unresolved.isEmpty();
        }
    }

    private record Group(String resourceType, byte[] header, long rows, byte[] oldest, byte[] newest) {
    }

    /** Resolves every schema id of rows without a writer schema; each id's rows are updated in one statement. */
    public Report run() {
        List<Group> groups = jdbi.withHandle(h -> h.createQuery("select resource_type, substring(payload from 1 for 5)"
                        + " as header, count(*) as rows,"
                        + " (array_agg(payload order by feed_tx, feed_seq))[1] as oldest,"
                        + " (array_agg(payload order by feed_tx desc, feed_seq desc))[1] as newest"
                        + " from change_log where writer_fingerprint is null group by 1, 2")
                .map((rs, ctx) -> new Group(rs.getString("resource_type"), rs.getBytes("header"), rs.getLong("rows"),
                        rs.getBytes("oldest"), rs.getBytes("newest")))
                .list());
        long filled = 0;
        List<String> unresolved = new ArrayList<>();
        for (Group group : groups) {
            String problem;
            try {
                problem = resolve(group);
            } catch (SchemaRegistryException e) {
                problem = "the registry did not answer: " + e.getMessage();
            }
            if (problem == null) {
                filled += group.rows();
            } else {
                unresolved.add(group.resourceType() + " events with schema id " + idOf(group.header()) + " (" + group.rows()
                        + " rows): " + problem);
            }
        }
        return new Report(filled, unresolved);
    }

    /** Stores the group's writer schema and links its rows to it; the reason when it cannot. */
    private String resolve(Group group) {
        if (group.header().length < 5 || group.header()[0] != 0) {
            return "not the Confluent wire format (" + HexFormat.of().formatHex(group.header()) + ")";
        }
        int id = idOf(group.header());
        Schema schema;
        try {
            schema = registry.getById(id);
        } catch (SchemaNotFoundException e) {
            return "the registry does not know the id";
        }
        String expected = EVENT_SCHEMAS.get(group.resourceType());
        if (!schema.getFullName().equals(expected)) {
            return "the registry gives the id to " + schema.getFullName() + ", not a " + expected;
        }
        if (!decodesWhole(schema, group.oldest()) || !decodesWhole(schema, group.newest())) {
            return "the registry's schema with this id does not decode the stored events";
        }
        byte[] fingerprint = SchemaFingerprints.of(schema);
        ResourceType type = ResourceType.valueOf(group.resourceType());
        jdbi.useTransaction(h -> {
            schemas.save(h, new WriterSchema(fingerprint, topics.changes(type) + "-value", schema.toString(), id));
            h.createUpdate("update change_log set writer_fingerprint = :fingerprint where writer_fingerprint is null"
                            + " and resource_type = :type and substring(payload from 1 for 5) = :header")
                    .bind("fingerprint", fingerprint).bind("type", group.resourceType()).bind("header", group.header())
                    .execute();
        });
        return null;
    }

    private static boolean decodesWhole(Schema schema, byte[] wire) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(wire, 5, wire.length - 5, null);
            new GenericDatumReader<Object>(schema).read(null, decoder);
            return decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int idOf(byte[] header) {
        return header.length < 5 ? -1
                : ((header[1] & 0xff) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
    }
}
