package io.patchbay.adapter.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.json.AvroJson;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.registry.SchemaFingerprints;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.history.ChangeHistory;
import io.patchbay.store.history.FeedEntry;
import io.patchbay.store.history.FeedPosition;
import io.patchbay.store.schema.WriterSchemas;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pages of the change log as JSON: each stored change event (the bytes that were published) decoded as a consumer of
 * its changes topic reads it, and shown by {@link AvroJson}. The writer schema is the one stored beside the event
 * ({@code writer_schema}), never the registry's schema for the id in the event's header, so history reads right when
 * the registry has lost that id or given it to another schema; only events stored before writer schemas were kept,
 * and not yet backfilled, are decoded with the registry by id. Events carry no secrets (a share password is only
 * {@code sharePasswordSet}), so nothing is removed.
 */
public final class ChangeHistoryReader {

    private final Jdbi jdbi;
    private final Topics topics;
    private final ConfluentAvroDeserializer<Object> events;
    private final ChangeHistory history = new ChangeHistory();
    private final WriterSchemas writerSchemas = new WriterSchemas();
    /** Writer schemas by fingerprint; there are a handful, and a stored schema never changes. */
    private final Map<ByteBuffer, Schema> writers = new ConcurrentHashMap<>();

    public ChangeHistoryReader(Jdbi jdbi, Topics topics, ConfluentAvroDeserializer<Object> events) {
        this.jdbi = jdbi;
        this.topics = topics;
        this.events = events;
    }

    /** The name of a resource type's change events in the feed and its {@code type} filter: {@code evaluation.changed}. */
    public static String eventType(ResourceType type) {
        return type.name().toLowerCase(Locale.ROOT) + ".changed";
    }

    /**
     * Up to {@code limit} versions of one resource, newest first, below the version {@code beforeVersion} when given.
     *
     * @return the page; its cursor is where the next older page starts, null when there is none
     */
    public Page versions(String teamId, ResourceType type, String resourceId, OptionalLong beforeVersion, int limit) {
        List<ChangeLogEntry> rows = jdbi.withHandle(h -> history.versions(h, teamId, type.name(), resourceId,
                beforeVersion, limit + 1));
        boolean more = rows.size() > limit;
        List<ChangeLogEntry> shown = more ? rows.subList(0, limit) : rows;
        List<ObjectNode> items = shown.stream().map(row -> json(type, row)).toList();
        return new Page(items, more, more ? HistoryCursors.ofVersion(shown.get(limit - 1).version()) : null);
    }

    /**
     * Up to {@code limit} changes of the team's resources of {@code types}, in the order they were made, after
     * {@code after} when given. Each item is {@code {"type": "evaluation.changed", "event": {...}}}.
     *
     * @return the page; its cursor is where to continue (also when it is the last for now), null only when nothing
     *     was shown and no position was given
     */
    public Page feed(String teamId, Collection<ResourceType> types, FeedPosition after, int limit) {
        List<FeedEntry> rows = jdbi.withHandle(h -> history.feed(h, teamId, types.stream().map(Enum::name).toList(),
                after, limit + 1));
        boolean more = rows.size() > limit;
        List<FeedEntry> shown = more ? rows.subList(0, limit) : rows;
        List<ObjectNode> items = new ArrayList<>();
        for (FeedEntry row : shown) {
            ResourceType type = ResourceType.valueOf(row.change().resourceType());
            ObjectNode item = JsonValues.MAPPER.createObjectNode();
            item.put("type", eventType(type));
            item.set("event", json(type, row.change()));
            items.add(item);
        }
        FeedPosition last = shown.isEmpty() ? after : shown.get(shown.size() - 1).position();
        return new Page(items, more, last == null ? null : HistoryCursors.ofFeed(last));
    }

    private ObjectNode json(ResourceType type, ChangeLogEntry row) {
        return AvroJson.toNode(decode(type, row));
    }

    private IndexedRecord decode(ResourceType type, ChangeLogEntry row) {
        String topic = topics.changes(type);
        if (row.writerFingerprint() == null) {
            return (IndexedRecord) events.deserialize(topic, row.payload());
        }
        return (IndexedRecord) events.deserializeWithWriter(topic, row.payload(), writer(row.writerFingerprint()));
    }

    private Schema writer(byte[] fingerprint) {
        return writers.computeIfAbsent(ByteBuffer.wrap(fingerprint.clone()), key -> jdbi.withHandle(h ->
                writerSchemas.find(h, fingerprint)).map(stored -> SchemaFingerprints.parse(stored.schemaText()))
                .orElseThrow(() -> new IllegalStateException("change_log names a writer schema that writer_schema does not hold")));
    }

    /**
     * One page.
     *
     * @param items newest first (a resource's history) or in feed order
     * @param hasMore whether a further page exists now
     * @param cursor where the next page starts (see each method)
     */
    public record Page(List<ObjectNode> items, boolean hasMore, String cursor) {
    }
}
