package io.patchbay.processor.parking;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.store.RecordPosition;
import io.patchbay.store.parking.ParkedRecord;
import io.patchbay.store.parking.ParkedRecords;

/**
 * One transaction's view of the parked keys of its batch (Axon's sequenced dead letters, patterns.md 1.4): which
 * records may be decided, which wait behind an earlier parked record with their key, and the dead letters of both.
 *
 * <p>Parking is by Kafka record key on its topic: the key is what orders commands, and the only resource id a record
 * that cannot be decoded has. A record's identity is its own position, or for a replay ({@link DeadLetters#REPLAY_OF})
 * the position of the original it re-submits; only the replay of a key's first parked record is let through.
 */
public final class ParkingLot {

    private static final Logger log = LoggerFactory.getLogger(ParkingLot.class);
    private static final Comparator<RecordPosition> IN_PARTITION_ORDER =
            Comparator.comparingInt(RecordPosition::partition).thenComparingLong(RecordPosition::offset);

    /**
     * Where a record stands: decided under {@code identity}, or, when {@code deadLetter} is set, already set aside
     * (its key is parked) and to be published as that dead letter.
     */
    public record Admission(RecordPosition identity, ProducerRecord<String, byte[]> deadLetter) {
    }

    private record TopicKey(String topic, String key) {
    }

    private final ParkedRecords parkedRecords = new ParkedRecords();
    private final Handle handle;
    private final Instant now;
    private final ParkingGate gate;
    private final Map<TopicKey, NavigableMap<RecordPosition, ParkedRecord>> parked = new HashMap<>();

    private ParkingLot(Handle handle, Instant now, ParkingGate gate) {
        this.handle = handle;
        this.now = now;
        this.gate = gate;
    }

    /**
     * Reads the parked records of every key among {@code records}, in one query, unless the {@code gate} knows their
     * partitions have none.
     */
    public static ParkingLot load(Handle handle, Collection<ConsumerRecord<String, byte[]>> records, Instant now,
                                  ParkingGate gate) {
        ParkingLot lot = new ParkingLot(handle, now, gate);
        if (!gate.mayHaveParked(handle, records)) {
            return lot;
        }
        var topics = records.stream().map(ConsumerRecord::topic).distinct().toList();
        var keys = records.stream().map(ConsumerRecord::key).filter(Objects::nonNull).distinct().toList();
        for (ParkedRecord row : lot.parkedRecords.findByKeys(handle, topics, keys)) {
            lot.parkedWith(row.position().topic(), row.recordKey()).put(row.position(), row);
        }
        return lot;
    }

    /**
     * Admits {@code record} to be decided, releasing it from parking if it is the replay of its key's first parked
     * record; or sets it aside behind an earlier parked record with its key (parking it, unless it is a replay or a
     * redelivery of a record parked already).
     */
    public Admission admit(ConsumerRecord<String, byte[]> record) {
        RecordPosition self = new RecordPosition(record.topic(), record.partition(), record.offset());
        NavigableMap<RecordPosition, ParkedRecord> keyParked = parkedWith(record.topic(), record.key());
        Optional<RecordPosition> replayOf = DeadLetters.replayOf(record)
                .filter(original -> original.topic().equals(self.topic()) && keyParked.containsKey(original));
        if (replayOf.isPresent()) {
            RecordPosition original = replayOf.get();
            if (!keyParked.firstKey().equals(original)) {
                log.info("replay of {} stays parked: {} is still parked before it", original, keyParked.firstKey());
                return held(record, original, DeadLetterReason.of(keyParked.get(original)));
            }
            keyParked.remove(original);
            parkedRecords.delete(handle, original);
            gate.released(original);
            log.info("replay of {} released from parking", original);
            return new Admission(original, null);
        }
        if (keyParked.isEmpty()) {
            return new Admission(self, null);
        }
        ParkedRecord row = keyParked.get(self);
        if (row == null) {
            row = park(record, self, DeadLetterReason.parkedBehind(keyParked.firstEntry().getValue()));
        }
        return held(record, self, DeadLetterReason.of(row));
    }

    /**
     * Sets aside a record that was admitted under {@code identity} but cannot be applied: parks its key (records
     * without a key cannot be parked, nothing orders them) and returns its dead letter.
     */
    public ProducerRecord<String, byte[]> setAside(ConsumerRecord<String, byte[]> record, RecordPosition identity,
                                                   DeadLetterReason reason) {
        RecordPosition delivered = new RecordPosition(record.topic(), record.partition(), record.offset());
        log.warn("dead-lettering {} (delivered as {}): {}", identity, delivered, reason.message());
        if (record.key() != null) {
            park(record, identity, reason);
        }
        return DeadLetters.of(record, identity, reason);
    }

    private ParkedRecord park(ConsumerRecord<String, byte[]> record, RecordPosition identity, DeadLetterReason reason) {
        ParkedRecord row = new ParkedRecord(identity, record.key(), reason.type(), reason.message(), now);
        parkedRecords.insert(handle, row);
        gate.parked(identity);
        parkedWith(record.topic(), record.key()).put(identity, row);
        return row;
    }

    private static Admission held(ConsumerRecord<String, byte[]> record, RecordPosition identity, DeadLetterReason reason) {
        return new Admission(identity, DeadLetters.of(record, identity, reason));
    }

    /** The parked records with {@code key} on {@code topic}, in partition order; a fresh empty map for a null key. */
    private NavigableMap<RecordPosition, ParkedRecord> parkedWith(String topic, String key) {
        return key == null ? new TreeMap<>(IN_PARTITION_ORDER)
                : parked.computeIfAbsent(new TopicKey(topic, key), k -> new TreeMap<>(IN_PARTITION_ORDER));
    }
}
