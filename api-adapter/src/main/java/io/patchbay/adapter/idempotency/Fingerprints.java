package io.patchbay.adapter.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;

/**
 * Request fingerprints for Idempotency-Key matching (api-contract §2.3):
 * {@code HMAC-SHA256(secret, METHOD "\n" PATH "\n" JCS(body))}. Keyed, so a fingerprint of a body holding a
 * short password cannot be brute-forced offline.
 */
public final class Fingerprints {

    private final SecretKeySpec key;

    public Fingerprints(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** @param path the request path without query string and without one trailing slash */
    public byte[] of(String method, String path, JsonNode body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            String canonical = method.toUpperCase(java.util.Locale.ROOT) + "\n" + path + "\n" + CanonicalJson.of(body);
            return mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The path as fingerprinted: one trailing slash stripped. */
    public static String normalizePath(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
