package io.patchbay.adapter.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongSupplier;

import io.patchbay.adapter.ratelimit.KeyedBuckets;

/**
 * The limits on failed authentication (on by default): failures per client address and per API key id, each a
 * number per period, and a budget of legacy (PBKDF2) secret checks per second for the whole instance. A client over
 * a limit is answered 429 without a database lookup or a hash; only failures count, so a client whose key is right
 * never uses any of it. IPv6 clients are counted per /64, the block one subscriber usually holds.
 */
public final class FailedAuthentications {

    /** Most client addresses and key ids whose failures are remembered at once. */
    static final long MAX_TRACKED = 50_000;

    /**
     * @param perAddress failed authentications one client address may have per period (0: no limit)
     * @param perKey failed authentications one existing API key id may have per period (0: no limit)
     * @param period the window of both
     * @param legacyChecksPerSecond PBKDF2 checks of legacy-format keys per second, whole instance (0: no limit)
     */
    public record Limits(int perAddress, int perKey, Duration period, int legacyChecksPerSecond) {

        public Limits {
            period = period == null || period.isZero() || period.isNegative() ? Duration.ofMinutes(1) : period;
        }

        /** No limit at all. */
        public static Limits off() {
            return new Limits(0, 0, null, 0);
        }
    }

    private final KeyedBuckets byAddress;
    private final KeyedBuckets byKey;
    private final KeyedBuckets legacyChecks;

    public FailedAuthentications(Limits limits, LongSupplier nanoTime) {
        this.byAddress = limits.perAddress() > 0 ? new KeyedBuckets(limits.perAddress(), limits.period(), MAX_TRACKED, nanoTime) : null;
        this.byKey = limits.perKey() > 0 ? new KeyedBuckets(limits.perKey(), limits.period(), MAX_TRACKED, nanoTime) : null;
        this.legacyChecks = limits.legacyChecksPerSecond() > 0
                ? new KeyedBuckets(limits.legacyChecksPerSecond(), Duration.ofSeconds(1), 1, nanoTime) : null;
    }

    /** Nanoseconds until {@code address} and {@code keyId} (null: none) are both under their limits; 0 when they are. */
    public long blockedFor(String address, String keyId) {
        long wait = byAddress == null ? 0 : byAddress.nanosUntilAvailable(clientKey(address));
        if (keyId != null && byKey != null) {
            wait = Math.max(wait, byKey.nanosUntilAvailable(keyId));
        }
        return wait;
    }

    /** Counts a failure of {@code address}, and of {@code keyId} when it names an existing key (null otherwise). */
    public void failed(String address, String keyId) {
        if (byAddress != null) {
            byAddress.consume(clientKey(address));
        }
        if (keyId != null && byKey != null) {
            byKey.consume(keyId);
        }
    }

    /** Takes one legacy check from the instance's budget: 0 when taken, else the nanoseconds until one is free. */
    public long takeLegacyCheck() {
        return legacyChecks == null ? 0 : legacyChecks.consume("instance").getNanosToWaitForRefill();
    }

    /** The key a client address is counted under: itself for IPv4, its /64 for IPv6. */
    static String clientKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address == null ? "" : address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : address;
        } catch (UnknownHostException | SecurityException e) {
            return address;
        }
    }
}
