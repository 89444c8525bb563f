package io.patchbay.store.auth;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API key format: {@code pb.<keyId>.<secret>}. The key id is public (it appears in commands and events as the
 * actor); the secret is 32 random bytes and is stored only as an {@link ApiKeyHasher} hash. Every key is minted
 * here, whichever tool asks for it.
 */
public final class ApiKeys {

    /** Longest key id a token may carry; longer ones are refused without a lookup. */
    public static final int MAX_KEY_ID_LENGTH = 128;
    /** Longest secret a token may carry. */
    public static final int MAX_SECRET_LENGTH = 256;

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
        @Override
        public String toString() {
            return "Minted[keyId=" + record.id() + ", token=<redacted>]";
        }
    }

    private ApiKeys() {
    }

    public static Optional<Token> parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals("pb") || parts[1].isEmpty() || parts[2].isEmpty()
                || parts[1].length() > MAX_KEY_ID_LENGTH || parts[2].length() > MAX_SECRET_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new Token(parts[1], parts[2]));
    }

    /** A new key with a random 256-bit secret, hashed with {@code hasher}. */
    public static Minted mint(ApiKeyHasher hasher, String keyId, String teamId, String role, List<String> scopes) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return withSecret(hasher, keyId, HexFormat.of().formatHex(secret), teamId, role, scopes);
    }

    /** A key with a chosen secret: for demo data that must stay valid across restarts, never for real keys. */
    public static Minted withSecret(ApiKeyHasher hasher, String keyId, String secretText, String teamId, String role,
                                    List<String> scopes) {
        ApiKeyRecord record = new ApiKeyRecord(keyId, teamId, hasher.hash(keyId, secretText), role, scopes, null, null);
        return new Minted("pb." + keyId + "." + secretText, record);
    }
}
