package io.patchbay.store.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Slow salted hashes for secrets that people choose (share passwords): PBKDF2-HMAC-SHA256 with a random 16-byte
 * salt, encoded self-describingly as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64). API keys stored
 * before {@link ApiKeyHasher} existed use this format too; they still verify, and are re-hashed once they do.
 */
public final class SecretHasher {

    /** Iterations for share passwords (api-contract §3.5): human-chosen, so as slow as we can afford. */
    public static final int PASSWORD_ITERATIONS = 600_000;
    /** Iterations of API keys stored in this format before {@link ApiKeyHasher}; only tests still make them. */
    public static final int API_KEY_ITERATIONS = 100_000;
    /** Prefix of the stored form. */
    public static final String PREFIX = "pbkdf2-sha256";
    /** More iterations than this are not verified: a stored value cannot make one check take minutes. */
    static final int MAX_ITERATIONS = 10_000_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretHasher() {
    }

    public static String hash(String secret, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(secret, salt, iterations));
    }

    /** Whether {@code secret} matches {@code encoded}; false, never an exception, for a value in another or a broken format. */
    public static boolean verify(String secret, String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] expected = b64.decode(parts[3]);
            byte[] salt = b64.decode(parts[2]);
            if (iterations <= 0 || iterations > MAX_ITERATIONS || salt.length == 0 || expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(expected, derive(secret, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }
}
