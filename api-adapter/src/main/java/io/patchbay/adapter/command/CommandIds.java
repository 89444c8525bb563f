package io.patchbay.adapter.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.patchbay.schemas.ResourceType;

/**
 * Command ids the adapter can verify without a lookup: UUID v7 (RFC 9562) whose last 32 bits, instead of
 * randomness, are a MAC over the team, the resource type, the timestamp and the 42 random bits before them.
 * So {@code GET /api/v1/commands/{id}} tells, from the id alone, a command this service accepted for the caller's
 * team (and its resource type and acceptance time) from a malformed, made-up or other team's id, which are all
 * 404 without touching the database or Kafka. Every adapter instance must share the secret.
 */
public final class CommandIds {

    private static final Pattern UUID_V7 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final long MAC_BITS = 0xFFFFFFFFL;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a verified id says about its command. */
    public record Verified(ResourceType type, Instant acceptedAt) {
    }

    private final ThreadLocal<Mac> macs;

    /** @param secret the HMAC key; derived from the idempotency secret in production */
    public CommandIds(byte[] secret) {
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    /** The command-id key derived from another secret, so that one configured secret serves two purposes apart. */
    public static byte[] derive(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal("patchbay command ids v1".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** A new id for a command of {@code teamId} on a resource of {@code type}, accepted at {@code at} (milliseconds). */
    public String mint(String teamId, ResourceType type, Instant at) {
        long msb = (at.toEpochMilli() << 16) | 0x7000L | RANDOM.nextInt(1 << 12);
        long lsb = ((RANDOM.nextLong() & 0x3FFFFFFFL) << 32) | 0x8000000000000000L;
        return new UUID(msb, lsb | mac(teamId, type, msb, lsb)).toString();
    }

    /** The time in a UUID v7 {@code id} (a minted one: the time its command was accepted), verified or not. */
    public Instant acceptedAt(String id) {
        return Instant.ofEpochMilli(UUID.fromString(id).getMostSignificantBits() >>> 16);
    }

    /** What {@code id} says, when this service minted it for {@code teamId}; empty for any other string. */
    public Optional<Verified> verify(String id, String teamId) {
        if (id == null || !UUID_V7.matcher(id).matches()) {
            return Optional.empty();
        }
        UUID uuid = UUID.fromString(id);
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits() & ~MAC_BITS;
        for (ResourceType type : ResourceType.values()) {
            if (mac(teamId, type, msb, lsb) == (uuid.getLeastSignificantBits() & MAC_BITS)) {
                return Optional.of(new Verified(type, Instant.ofEpochMilli(msb >>> 16)));
            }
        }
        return Optional.empty();
    }

    private long mac(String teamId, ResourceType type, long msb, long lsbWithoutMac) {
        Mac mac = macs.get();
        mac.update(teamId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(type.name().getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(ByteBuffer.allocate(16).putLong(msb).putLong(lsbWithoutMac).array());
        return ByteBuffer.wrap(digest).getInt() & MAC_BITS;
    }
}
