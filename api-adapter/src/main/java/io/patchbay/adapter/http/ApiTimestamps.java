package io.patchbay.adapter.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;

/** How each API writes an instant (api-contract §1.7). */
public final class ApiTimestamps {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Added to the microseconds so that their six digits, leading zeros included, follow a leading 1. */
    private static final int MICROS_PAD = 1_000_000;

    private ApiTimestamps() {
    }

    /** Autousers (and every {@code /api/v1} resource): UTC, always three fractional digits; null stays null. */
    public static String autousers(Instant instant) {
        return instant == null ? null : MILLIS.format(instant);
    }

    /** Respan (DRF): UTC, six fractional digits, omitted when the microseconds are zero. */
    public static String respan(Instant instant) {
        int micros = instant.get(ChronoField.MICRO_OF_SECOND);
        String seconds = SECONDS.format(instant);
        return micros == 0 ? seconds + "Z" : seconds + "." + Integer.toString(MICROS_PAD + micros).substring(1) + "Z";
    }
}
