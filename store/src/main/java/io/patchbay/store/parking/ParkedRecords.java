package io.patchbay.store.parking;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import org.jdbi.v3.core.Handle;

import io.patchbay.store.RecordPosition;

/** The parked records of the processor's commands topics, by key: see {@code V2__parked_records.sql}. */
public final class ParkedRecords {

    private static final String COLUMNS = "source_topic, source_partition, source_offset, record_key, reason_class,"
            + " reason, parked_at";

    /** How many records are parked, awaiting a replay. */
    public long count(Handle handle) {
        return handle.createQuery("select count(*) from parked_record").mapTo(Long.class).one();
    }

    /** Every parked record whose key is one of {@code keys} on one of {@code topics}. */
    public List<ParkedRecord> findByKeys(Handle handle, Collection<String> topics, Collection<String> keys) {
        if (topics.isEmpty() || keys.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("select " + COLUMNS + " from parked_record where source_topic = any(:topics)"
                        + " and record_key = any(array(select decode(k, 'hex') from unnest(:keys) k))")
                .bind("topics", topics.toArray(String[]::new))
                .bind("keys", keys.stream().map(k -> HexFormat.of().formatHex(bytes(k))).toArray(String[]::new))
                .mapTo(ParkedRecord.class).list();
    }

    /** The partitions, of those of {@code topics}, that have a parked record ("topic" and partition of each). */
    public List<RecordPosition> partitionsWithRecords(Handle handle, Collection<String> topics) {
        return handle.createQuery("select distinct source_topic, source_partition from parked_record"
                        + " where source_topic = any(:topics)")
                .bind("topics", topics.toArray(String[]::new))
                .map((rs, ctx) -> new RecordPosition(rs.getString(1), rs.getInt(2), -1)).list();
    }

    /** Parks {@code record}; a record parked already (a redelivery) keeps its first reason. */
    public void insert(Handle handle, ParkedRecord record) {
        handle.createUpdate("insert into parked_record (" + COLUMNS + ") values (:topic, :partition, :offset, :key,"
                        + " :reasonClass, :reason, :parkedAt) on conflict do nothing")
                .bind("topic", record.position().topic()).bind("partition", record.position().partition())
                .bind("offset", record.position().offset()).bind("key", bytes(record.recordKey()))
                .bind("reasonClass", record.reasonClass()).bind("reason", record.reason())
                .bind("parkedAt", record.parkedAt()).execute();
    }

    public void delete(Handle handle, RecordPosition position) {
        handle.createUpdate("delete from parked_record where source_topic = :topic and source_partition = :partition"
                        + " and source_offset = :offset")
                .bind("topic", position.topic()).bind("partition", position.partition())
                .bind("offset", position.offset()).execute();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
