package io.patchbay.bench.relay;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The headers the relay's front and applier exchange besides spring-kafka's reply headers. */
final class RelayHeaders {

    /** The PATCH request's path, which names the resource. */
    static final String PATH = "relay_path";
    /** The bearer's team. */
    static final String TEAM = "relay_team";
    /** The HTTP status of the applier's answer, in decimal. */
    static final String STATUS = "relay_status";

    private RelayHeaders() {
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The last value of header {@code name} as UTF-8 text, or null when there is none. */
    static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
