package io.patchbay.processor.application;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.generic.GenericRecord;
import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.chain.EventChain;
import io.patchbay.store.commandlog.ChangeLog;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.jdbi.ReadRound;

/**
 * Links each change event into its resource's hash chain ({@link EventChain}) as it is serialized: the previous
 * version's hash comes from the batch (an earlier change of the same resource) or from the change log, read for all
 * of a batch's resources in one query ({@link #prefetch}). Heads live in the {@link BatchContext}, so a batch applied
 * again one command at a time starts from what is written.
 */
final class EventChains {

    private static final String PREFIX = "chain-head:";
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ChangeLog changeLog = new ChangeLog();

    /** Adds the query of the chain heads to {@code reads}; the returned step puts them into {@code batch}. */
    Runnable prefetch(ReadRound reads, Collection<DecodedCommand> commands, BatchContext batch) {
        List<ChangeLog.ResourceKey> keys = commands.stream()
                .map(c -> new ChangeLog.ResourceKey(c.type().name(), c.metadata().getResourceId())).distinct().toList();
        ReadRound.Rows<ChangeLogEntry> rows = changeLog.newest(reads, keys);
        return () -> {
            Map<ChangeLog.ResourceKey, ChangeLogEntry> newest = new HashMap<>();
            if (rows != null) {
                rows.list().forEach(entry -> newest.put(ChangeLog.keyOf(entry), entry));
            }
            for (ChangeLog.ResourceKey key : keys) {
                batch.preload(headKey(key), Optional.ofNullable(newest.get(key)).map(Head::of));
            }
        };
    }

    /**
     * Reads the heads of {@code ids} (by resource type) the batch does not know yet, in one query, into {@code batch}:
     * for resources a command named by another key than their id (an automation's slug), which {@link #prefetch}
     * could not know before the rows were read. Without it each such command read its head on its own.
     */
    void prefetchResolved(Handle handle, Map<ResourceType, ? extends Collection<String>> ids, BatchContext batch) {
        List<ChangeLog.ResourceKey> keys = new ArrayList<>();
        ids.forEach((type, ofType) -> ofType.stream().map(id -> new ChangeLog.ResourceKey(type.name(), id))
                .filter(key -> batch.known(headKey(key)) == null).forEach(keys::add));
        if (keys.isEmpty()) {
            return;
        }
        Map<ChangeLog.ResourceKey, ChangeLogEntry> newest = changeLog.newest(handle, keys);
        for (ChangeLog.ResourceKey key : keys) {
            batch.preload(headKey(key), Optional.ofNullable(newest.get(key)).map(Head::of));
        }
    }

    /**
     * Sets the chain fields of {@code event}, version {@code version} of resource {@code resourceId}, and returns it
     * serialized by {@code serialize}.
     */
    byte[] seal(Handle handle, BatchContext batch, ResourceType type, String resourceId, long version, GenericRecord event,
                Function<GenericRecord, byte[]> serialize) {
        ChangeLog.ResourceKey key = new ChangeLog.ResourceKey(type.name(), resourceId);
        event.put("previousEventHash", ByteBuffer.wrap(previous(handle, batch, key, version)));
        event.put("eventHash", EMPTY);
        byte[] unsealed = serialize.apply(event);
        byte[] hash = EventChain.hashOfUnsealed(unsealed);
        event.put("eventHash", ByteBuffer.wrap(hash));
        batch.remember(headKey(key), new Head(version, hash));
        return EventChain.seal(unsealed, hash);
    }

    private byte[] previous(Handle handle, BatchContext batch, ChangeLog.ResourceKey key, long version) {
        Optional<Head> head = batch.resource(headKey(key), () -> changeLog.newest(handle, List.of(key)).values().stream()
                .findFirst().map(Head::of));
        if (head.isEmpty()) {
            return EventChain.genesis();
        }
        if (head.get().version() == version - 1) {
            return head.get().hash();
        }
        return changeLog.find(handle, key, version - 1).map(entry -> EventChain.chainValueOf(entry.payload()))
                .orElseGet(EventChain::genesis);
    }

    /**
     * The batch key of a resource's chain head. Built from its parts: the record's {@code toString} (the key before)
     * cost a formatted string of field names per use, three uses per command.
     */
    private static String headKey(ChangeLog.ResourceKey key) {
        return PREFIX + key.resourceType() + ':' + key.resourceId();
    }

    /** The newest event of a resource: its version and the value the next version chains to. */
    private record Head(long version, byte[] hash) {

        static Head of(ChangeLogEntry entry) {
            return new Head(entry.version(), EventChain.chainValueOf(entry.payload()));
        }
    }
}
