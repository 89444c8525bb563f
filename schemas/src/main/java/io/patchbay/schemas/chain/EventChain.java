package io.patchbay.schemas.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The hash chain of change events. Each event carries, as its last two fields (Avro {@code bytes}, 32 each),
 * {@code previousEventHash}, the {@code eventHash} of the resource's previous version (32 zero bytes when no earlier
 * event exists), and {@code eventHash}, the SHA-256 of the event's Avro binary body (the wire bytes without the 5-byte
 * Confluent header, so independent of registry ids) with {@code eventHash} itself empty. As both are fixed-size and
 * last, a consumer checks an event on its raw bytes, with no Avro library: the body ends with
 * {@code 0x40 <previous 32 bytes> 0x40 <hash 32 bytes>}, and the hash is SHA-256 of the body without its last 33 bytes
 * followed by one {@code 0x00} (an empty {@code bytes}).
 */
public final class EventChain {

    /** Length of both hashes. */
    public static final int HASH_BYTES = 32;
    private static final int HEADER = 5;
    private static final byte LENGTH_32 = 0x40;
    private static final int TAIL = 2 * (1 + HASH_BYTES);

    private EventChain() {
    }

    /** The previous hash of a resource's first event. */
    public static byte[] genesis() {
        return new byte[HASH_BYTES];
    }

    /** The {@code eventHash} of an event serialized with an empty {@code eventHash} (Confluent wire format). */
    public static byte[] hashOfUnsealed(byte[] wire) {
        return sha256(wire, HEADER, wire.length - HEADER);
    }

    /**
     * The sealed form of an event serialized with an empty {@code eventHash}: the same bytes with that last field set
     * to {@code hash} ({@link #hashOfUnsealed} of them), so an event is serialized once, not again after hashing.
     */
    public static byte[] seal(byte[] unsealedWire, byte[] hash) {
        if (hash.length != HASH_BYTES || unsealedWire.length < HEADER + 1 + HASH_BYTES + 1
                || unsealedWire[unsealedWire.length - 1] != 0) {
            throw new IllegalArgumentException("not an event with an empty eventHash last, or not a SHA-256 hash");
        }
        byte[] sealed = Arrays.copyOf(unsealedWire, unsealedWire.length + HASH_BYTES);
        sealed[unsealedWire.length - 1] = LENGTH_32;
        System.arraycopy(hash, 0, sealed, unsealedWire.length, HASH_BYTES);
        return sealed;
    }

    /** The chain fields of an event (Confluent wire format); empty for an event written without them. */
    public static Optional<Link> read(byte[] wire) {
        int body = wire.length - HEADER;
        if (body < TAIL || wire[wire.length - TAIL] != LENGTH_32 || wire[wire.length - HASH_BYTES - 1] != LENGTH_32) {
            return Optional.empty();
        }
        byte[] previous = Arrays.copyOfRange(wire, wire.length - TAIL + 1, wire.length - HASH_BYTES - 1);
        byte[] hash = Arrays.copyOfRange(wire, wire.length - HASH_BYTES, wire.length);
        MessageDigest digest = digest();
        digest.update(wire, HEADER, body - HASH_BYTES - 1);
        digest.update((byte) 0);
        return Optional.of(new Link(previous, hash, MessageDigest.isEqual(digest.digest(), hash)));
    }

    /**
     * What the next version's {@code previousEventHash} must be: the event's {@code eventHash}, or for an event written
     * before the chain existed, the SHA-256 of its body.
     */
    public static byte[] chainValueOf(byte[] wire) {
        return read(wire).map(Link::eventHash).orElseGet(() -> sha256(wire, HEADER, wire.length - HEADER));
    }

    public static boolean isGenesis(byte[] previous) {
        return MessageDigest.isEqual(previous, genesis());
    }

    private static byte[] sha256(byte[] data, int offset, int length) {
        MessageDigest digest = digest();
        digest.update(data, offset, length);
        return digest.digest();
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * An event's chain fields.
     *
     * @param previousEventHash the previous version's {@code eventHash}, or {@link #genesis()}
     * @param eventHash the hash the event claims
     * @param intact whether its content hashes to {@code eventHash}
     */
    public record Link(byte[] previousEventHash, byte[] eventHash, boolean intact) {
    }
}
