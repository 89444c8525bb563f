package io.patchbay.schemas;

import java.security.SecureRandom;
import java.util.UUID;

/** Identifier generation: UUID version 7 (RFC 9562), time-ordered, for request, command and event ids. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** A new UUID v7 in lower-case hyphenated form. */
    public static String uuidV7() {
        return uuidV7(System.currentTimeMillis()).toString();
    }

    static UUID uuidV7(long epochMillis) {
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (epochMillis << 16) | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
