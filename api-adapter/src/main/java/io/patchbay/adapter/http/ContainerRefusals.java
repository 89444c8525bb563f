package io.patchbay.adapter.http;

import java.util.Locale;
import java.util.Map;

/**
 * What a refusal Tomcat made while parsing a request says about it. Tomcat puts the offending part of the request
 * line or header in brackets in its exception message ({@code Invalid character found in the request target [/a|b]},
 * {@code The HTTP header line [Idempotency-Key: a0x7Fb] does not conform to RFC 9112}); in every translation of its
 * messages the brackets stay. That part tells which API's format to answer in when the request target could not be
 * read, and whether the header at fault was {@code Idempotency-Key}, which has an error of its own (api-contract §2.1).
 */
final class ContainerRefusals {

    private static final Map<Integer, String> REASONS = Map.of(
            400, "The request could not be read (malformed request target or headers).",
            406, "No acceptable representation: every answer is application/json.",
            408, "The request was not received in full within the server's time limit.",
            411, "A body needs a Content-Length or chunked transfer coding.",
            413, "The request is too large.",
            414, "The request target is too long.",
            415, "Unsupported media type.",
            417, "Only 100-continue can be expected.",
            431, "The request headers are too large.");

    private ContainerRefusals() {
    }

    /** The bracketed part of the parse failure's message, or null when there is none. */
    static String unreadPart(Throwable failure) {
        String message = failure == null ? null : failure.getMessage();
        if (message == null) {
            return null;
        }
        int open = message.indexOf('[');
        int close = message.lastIndexOf(']');
        return open >= 0 && close > open ? message.substring(open + 1, close).strip() : null;
    }

    /** Whether {@code headerLine} (from {@link #unreadPart}) is an {@code Idempotency-Key} header. */
    static boolean isIdempotencyKeyHeader(String headerLine) {
        return headerLine != null && headerLine.toLowerCase(Locale.ROOT).startsWith("idempotency-key:");
    }

    /** A sentence for a 4xx the container or framework decided. */
    static String reason(int status) {
        return REASONS.getOrDefault(status, "The request was refused with HTTP status " + status + ".");
    }
}
