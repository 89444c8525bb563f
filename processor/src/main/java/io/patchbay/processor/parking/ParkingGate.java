package io.patchbay.processor.parking;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Handle;

import io.patchbay.store.RecordPosition;
import io.patchbay.store.parking.ParkedRecords;

/**
 * Which partitions are known to have no parked record, so that their batches skip the parked-record lookup: almost
 * always nothing is parked, and that lookup is a statement in every batch transaction.
 *
 * <p>A partition is unknown until a batch of it asks; one query then tells which of the unknown partitions have parked
 * records. A partition with none stays "clear" until this processor parks a record of it. Parked records of a partition
 * are written only by the consumer that holds it (keys, and so their parking, belong to one partition), so "clear"
 * holds while the partition stays assigned here: it is forgotten when the assignment changes, when a record is
 * released (it is asked again), and when a batch transaction fails (what it parked or released is undone).
 */
public final class ParkingGate {

    private final ParkedRecords parkedRecords = new ParkedRecords();
    private final Map<TopicPartition, Boolean> clear = new ConcurrentHashMap<>();

    /** True when a record of {@code records}' partitions may be parked, so that the batch must look its keys up. */
    boolean mayHaveParked(Handle handle, Collection<ConsumerRecord<String, byte[]>> records) {
        Set<TopicPartition> partitions = new HashSet<>();
        records.forEach(r -> partitions.add(new TopicPartition(r.topic(), r.partition())));
        List<TopicPartition> unknown = partitions.stream().filter(p -> !clear.containsKey(p)).toList();
        if (!unknown.isEmpty()) {
            Set<TopicPartition> parked = new HashSet<>();
            for (RecordPosition p : parkedRecords.partitionsWithRecords(handle, unknown.stream().map(TopicPartition::topic).distinct().toList())) {
                parked.add(new TopicPartition(p.topic(), p.partition()));
            }
            unknown.forEach(p -> clear.put(p, !parked.contains(p)));
        }
        return partitions.stream().anyMatch(p -> !clear.get(p));
    }

    /** A record of {@code position}'s partition was parked: its batches look keys up again. */
    void parked(RecordPosition position) {
        clear.put(new TopicPartition(position.topic(), position.partition()), false);
    }

    /** A record of {@code position}'s partition was released: whether any is left is asked again. */
    void released(RecordPosition position) {
        clear.remove(new TopicPartition(position.topic(), position.partition()));
    }

    /** Forgets {@code partitions} (their assignment changed, or a transaction over them failed). */
    public void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(clear::remove);
    }

    /** Forgets the partitions of {@code records}. */
    public void forgetPartitionsOf(Collection<ConsumerRecord<String, byte[]>> records) {
        records.forEach(r -> clear.remove(new TopicPartition(r.topic(), r.partition())));
    }
}
