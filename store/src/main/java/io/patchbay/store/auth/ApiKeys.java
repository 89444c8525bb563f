package io.patchbay.store.auth;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API key format: {@code pb.<keyId>.<secret>}. The key id is public (it appears in commands and events as
 * the actor); the secret is 32 random bytes and is stored only as a {@link SecretHasher} hash.
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A parsed bearer token. */
    public record Token(String keyId, String secret) {
        @Override
        public String toString() {
            return "Token[keyId=" + keyId + ", secret=<redacted>]";
        }
    }

    /** A newly minted key: the full token (shown once) and the record to store. */
    public record Minted(String token, ApiKeyRecord record) {
    }

    private ApiKeys() {
    }

    public static Optional<Token> parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals("pb") || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Token(parts[1], parts[2]));
    }

    public static Minted mint(String keyId, String teamId, String role, java.util.List<String> scopes) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return withSecret(keyId, HexFormat.of().formatHex(secret), teamId, role, scopes);
    }

    /** A key with a chosen secret: for demo data that must stay valid across restarts, never for real keys. */
    public static Minted withSecret(String keyId, String secretText, String teamId, String role, java.util.List<String> scopes) {
        ApiKeyRecord record = new ApiKeyRecord(keyId, teamId, SecretHasher.hash(secretText, SecretHasher.API_KEY_ITERATIONS),
                role, scopes, null, null);
        return new Minted("pb." + keyId + "." + secretText, record);
    }
}
