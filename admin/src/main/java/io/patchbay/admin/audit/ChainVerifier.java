package io.patchbay.admin.audit;

import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.patchbay.schemas.chain.EventChain;

/**
 * Checks the hash chains of a stream of change events, resource by resource, and keeps the first break of each:
 * a missing version, an altered event, or events out of order. Feed it the events as a consumer holds them (database
 * rows in version order, topic records in topic order; copies of a version already seen must be identical).
 */
public final class ChainVerifier {

    private final Map<String, Chain> chains = new LinkedHashMap<>();
    private long events;
    private long duplicates;

    /**
     * One event.
     *
     * @param resource the resource's identity, e.g. {@code EVALUATION/eval_1}
     * @param slot where the event was found, when it claims a version: the database row's version, else null
     * @param wire the event as stored or published (Confluent wire format)
     */
    public void accept(String resource, Long slot, byte[] wire) {
        events++;
        chains.computeIfAbsent(resource, r -> new Chain()).accept(resource, slot, wire);
    }

    /**
     * The resource's current version, from its row: events must reach it. Call after its events.
     */
    public void expectNewest(String resource, long version) {
        Chain chain = chains.computeIfAbsent(resource, r -> new Chain());
        if (chain.broken == null && version > Math.max(chain.lastVersion, 1)) {
            long missing = chain.lastVersion == 0 ? 2 : chain.lastVersion + 1;
            chain.broken = new Break(resource, missing, Break.Kind.MISSING_VERSION, "the resource is at version " + version
                    + " but its newest event is " + (chain.lastVersion == 0 ? "missing" : "version " + chain.lastVersion));
        }
    }

    public Report report() {
        Map<String, Break> breaks = new LinkedHashMap<>();
        chains.forEach((resource, chain) -> {
            if (chain.broken != null) {
                breaks.put(resource, chain.broken);
            }
        });
        return new Report(chains.size(), events, duplicates, breaks);
    }

    private final class Chain {

        private long lastVersion;
        private byte[] lastValue;
        private final Map<Long, byte[]> seen = new HashMap<>();
        private final Map<String, Long> versionOfValue = new HashMap<>();
        private Break broken;

        void accept(String resource, Long slot, byte[] wire) {
            if (broken != null) {
                return;
            }
            long version;
            try {
                version = EventHeader.read(wire).version();
            } catch (RuntimeException e) {
                broken = new Break(resource, slot == null ? lastVersion + 1 : slot, Break.Kind.ALTERED,
                        "not a readable change event: " + e.getMessage());
                return;
            }
            if (slot != null && slot != version) {
                broken = new Break(resource, slot, Break.Kind.REORDERED, "the event stored as version " + slot
                        + " is the event of version " + version);
                return;
            }
            Optional<EventChain.Link> link = EventChain.read(wire);
            if (link.isPresent() && !link.get().intact()) {
                broken = new Break(resource, version, Break.Kind.ALTERED, "its content does not hash to its eventHash");
                return;
            }
            byte[] value = EventChain.chainValueOf(wire);
            byte[] earlier = seen.get(version);
            if (earlier != null) {
                if (MessageDigest.isEqual(earlier, value)) {
                    duplicates++;
                } else {
                    broken = new Break(resource, version, Break.Kind.ALTERED, "a second copy of version " + version
                            + " differs from the first");
                }
                return;
            }
            if (lastVersion != 0 && version != lastVersion + 1) {
                broken = version > lastVersion
                        ? new Break(resource, lastVersion + 1, Break.Kind.MISSING_VERSION, "version " + version
                                + " follows version " + lastVersion)
                        : new Break(resource, version, Break.Kind.REORDERED, "version " + version + " comes after version "
                                + lastVersion);
                return;
            }
            if (link.isPresent()) {
                byte[] previous = link.get().previousEventHash();
                if (lastVersion == 0 && !EventChain.isGenesis(previous)) {
                    broken = new Break(resource, version - 1, Break.Kind.MISSING_VERSION, "version " + version
                            + " chains to an earlier event that is not there");
                    return;
                }
                if (lastVersion != 0 && !MessageDigest.isEqual(previous, lastValue)) {
                    Long other = versionOfValue.get(HexFormat.of().formatHex(previous));
                    broken = other != null
                            ? new Break(resource, version, Break.Kind.REORDERED, "version " + version
                                    + " chains to version " + other + ", not to version " + lastVersion)
                            : new Break(resource, lastVersion, Break.Kind.ALTERED, "version " + version
                                    + " chains to another event than the version " + lastVersion + " held here");
                    return;
                }
            }
            lastVersion = version;
            lastValue = value;
            seen.put(version, value);
            versionOfValue.put(HexFormat.of().formatHex(value), version);
        }
    }

    /**
     * The first break of one resource's chain.
     *
     * @param version the version at which the chain breaks: the missing one, the altered one, the misplaced one
     */
    public record Break(String resource, long version, Kind kind, String detail) {

        public enum Kind { MISSING_VERSION, ALTERED, REORDERED }

        @Override
        public String toString() {
            return "BREAK " + resource + " version " + version + ": " + kind.name().toLowerCase().replace('_', ' ')
                    + " (" + detail + ")";
        }
    }

    /** What a run found: counts, and the first break of each broken resource, in the order they were met. */
    public record Report(int resources, long events, long duplicates, Map<String, Break> breaks) {

        public boolean intact() {
            return breaks.isEmpty();
        }
    }
}
