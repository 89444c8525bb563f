package io.patchbay.store.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes and verifies API key secrets with a keyed hash: {@code HMAC-SHA-256(pepper, "pb-api-key\0" + keyId + "\0" +
 * secret)}, stored as {@code hmac-sha256$<pepper id>$<mac>} (base64, no padding). Key secrets are 256 random bits, so
 * a slow hash adds nothing against guessing and only hands attackers a CPU amplifier: this costs microseconds. The
 * pepper is a server-side secret (configuration, never the database), so the stored hashes alone cannot be checked
 * against guesses; the key id is inside the MAC, so a hash copied onto another key's row does not verify there. The
 * pepper id, a short MAC of a constant, tells which pepper made a hash without revealing it.
 *
 * <p>Keys stored before this format ({@code pbkdf2-sha256$...}, see {@link SecretHasher}) still verify through
 * {@link #verify}; {@link #isCurrent} tells the caller to re-hash them. Share passwords, which people choose, stay
 * on {@link SecretHasher}.
 */
public final class ApiKeyHasher {

    /** Prefix of the stored form. */
    public static final String PREFIX = "hmac-sha256";
    /** Shortest pepper accepted when it is configured explicitly. */
    public static final int MIN_PEPPER_LENGTH = 16;

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DERIVATION_LABEL = "patchbay api key pepper v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PEPPER_ID_LABEL = "patchbay api key pepper id".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGE_LABEL = "pb-api-key\0".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    /** The result of checking a secret against a stored hash. */
    public enum Verdict {
        /** The secret is the one the hash was made from. */
        MATCH,
        /** The secret is not that one. */
        MISMATCH,
        /** The hash was made with another pepper (a configuration error): nothing can match it. */
        OTHER_PEPPER,
        /** The stored value is in no format this class reads. */
        UNREADABLE
    }

    private final Mac prototype;
    /**
     * One keyed Mac per thread, cloned from {@link #prototype} once: {@code doFinal} leaves a Mac ready for the next
     * message, so a check need not clone one (with its digest state) every time. It holds the pepper's key, nothing of
     * any API key's secret.
     */
    private final ThreadLocal<Mac> macs;
    private final String pepperId;
    private final String currentPrefix;

    private ApiKeyHasher(byte[] pepper) {
        this.prototype = mac(pepper);
        this.macs = ThreadLocal.withInitial(() -> copy(prototype));
        this.pepperId = Base64.getUrlEncoder().encodeToString(copy(prototype).doFinal(PEPPER_ID_LABEL)).substring(0, 8);
        this.currentPrefix = PREFIX + "$" + pepperId + "$";
    }

    /**
     * The hasher of a deployment's settings: the explicit pepper when one is set (at least {@value #MIN_PEPPER_LENGTH}
     * characters), else one derived from the idempotency secret (a MAC of a fixed label, so the two keys never share
     * bytes). Every app that verifies or mints keys must resolve the same pepper.
     *
     * @throws IllegalArgumentException when neither is set, or the explicit pepper is too short
     */
    public static ApiKeyHasher fromSettings(String pepper, String idempotencySecret) {
        if (pepper != null && !pepper.isBlank()) {
            if (pepper.length() < MIN_PEPPER_LENGTH) {
                throw new IllegalArgumentException("the API key pepper must be at least " + MIN_PEPPER_LENGTH + " characters");
            }
            return new ApiKeyHasher(pepper.getBytes(StandardCharsets.UTF_8));
        }
        if (idempotencySecret == null || idempotencySecret.isBlank()) {
            throw new IllegalArgumentException("an API key pepper (or the idempotency secret it is derived from) is required");
        }
        return new ApiKeyHasher(mac(idempotencySecret.getBytes(StandardCharsets.UTF_8)).doFinal(DERIVATION_LABEL));
    }

    /** The stored form of {@code secret} for key {@code keyId}. */
    public String hash(String keyId, String secret) {
        return PREFIX + "$" + pepperId + "$" + B64.encodeToString(mac(keyId, secret));
    }

    /** Whether {@code stored} is this format with this pepper; anything else should be re-hashed once it verifies. */
    public boolean isCurrent(String stored) {
        return stored.startsWith(currentPrefix);
    }

    /** Whether {@code stored} is a legacy PBKDF2 hash: checking it takes tens of milliseconds. */
    public static boolean isLegacy(String stored) {
        return stored.startsWith(SecretHasher.PREFIX + "$");
    }

    /**
     * Checks {@code secret} against {@code stored}, in constant time for this format. A legacy PBKDF2 hash is checked
     * by {@link SecretHasher}, which takes tens of milliseconds: callers decide whether to spend them
     * ({@link #isLegacy}).
     */
    public Verdict verify(String keyId, String secret, String stored) {
        if (isLegacy(stored)) {
            return SecretHasher.verify(secret, stored) ? Verdict.MATCH : Verdict.MISMATCH;
        }
        if (isCurrent(stored)) {
            return matches(stored.substring(currentPrefix.length()), keyId, secret);
        }
        String[] parts = stored.split("\\$", -1);
        return parts.length == 3 && parts[0].equals(PREFIX) ? Verdict.OTHER_PEPPER : Verdict.UNREADABLE;
    }

    /** Checks the base64 MAC of a stored hash with this pepper against {@code secret}'s, in constant time. */
    private Verdict matches(String storedMac, String keyId, String secret) {
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(storedMac);
        } catch (IllegalArgumentException e) {
            return Verdict.UNREADABLE;
        }
        return MessageDigest.isEqual(expected, mac(keyId, secret)) ? Verdict.MATCH : Verdict.MISMATCH;
    }

    /** Identifies the pepper in stored hashes and logs; it reveals nothing about the pepper itself. */
    public String pepperId() {
        return pepperId;
    }

    private byte[] mac(String keyId, String secret) {
        Mac mac = macs.get();
        mac.reset(); // in case an earlier use on this thread stopped before doFinal
        mac.update(MESSAGE_LABEL);
        mac.update(keyId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }

    private static Mac copy(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(ALGORITHM + " cannot be cloned", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeyHasher[pepperId=" + pepperId + "]";
    }
}
