package io.patchbay.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP client of the tests, for both APIs of one adapter: {@link #call} builds a request that carries exactly
 * what the test asks for, {@link #send} the usual JSON request, and {@link #raw} writes bytes on a socket for what
 * {@link HttpClient} refuses to send (control characters, non-ASCII header bytes, raw bytes in the target).
 */
public final class ApiClient {

    /** The Autousers evaluation path of {@code id}. */
    public static String evaluationPath(String id) {
        return "/api/v1/evaluations/" + id;
    }

    /** The Respan automation path of {@code idOrSlug}, with the trailing slash Respan clients send. */
    public static String automationPath(String idOrSlug) {
        return "/api/automations/" + idOrSlug + "/";
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    /** A client of the adapter listening on loopback at {@code port}. */
    public ApiClient(int port) {
        this.host = "127.0.0.1";
        this.port = port;
    }

    /** A request to build: {@code http.call("PATCH", path).token(t).json("{}").header("Prefer", "respond-async").send()}. */
    public Call call(String method, String path) {
        return new Call(method, path);
    }

    /** A PATCH of evaluation {@code id} with a JSON body, as an Autousers client sends it. */
    public Call patchEvaluation(String id, String token, String json) {
        return call("PATCH", evaluationPath(id)).token(token).json(json);
    }

    /** A PATCH of the automation {@code idOrSlug} with a JSON body, as a Respan client sends it. */
    public Call patchAutomation(String idOrSlug, String token, String json) {
        return call("PATCH", automationPath(idOrSlug)).token(token).json(json);
    }

    /**
     * Sends {@code body} (none when null) as JSON with the bearer {@code token} (none when null) and {@code headers}
     * (name, value, name, value...).
     */
    public HttpResponse<String> send(String method, String path, String token, String body, String... headers) {
        Call call = call(method, path).headers(headers);
        if (token != null) {
            call.token(token);
        }
        if (body != null) {
            call.json(body);
        }
        return call.send();
    }

    /**
     * Sends raw bytes with an explicit {@code Content-Type} (none when null), for bodies a String cannot carry
     * (invalid UTF-8) and for content types other than JSON.
     */
    public HttpResponse<String> sendBytes(String method, String path, String token, byte[] body, String contentType,
                                          String... headers) {
        Call call = call(method, path).headers(headers);
        if (token != null) {
            call.token(token);
        }
        if (contentType != null) {
            call.header("Content-Type", contentType);
        }
        if (body != null) {
            call.body(body);
        }
        return call.send();
    }

    /** The response's body as a JSON tree. */
    public static JsonNode json(HttpResponse<String> response) {
        return JsonValues.MAPPER.readTree(response.body());
    }

    /** One HTTP request; nothing is added that the test did not ask for. */
    public final class Call {

        private final String method;
        private final String path;
        private final List<String[]> headers = new ArrayList<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private Duration timeout = TIMEOUT;

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Call token(String token) {
            return header("Authorization", "Bearer " + token);
        }

        public Call header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /** Headers as name, value, name, value... */
        public Call headers(String... namesAndValues) {
            for (int i = 0; i < namesAndValues.length; i += 2) {
                header(namesAndValues[i], namesAndValues[i + 1]);
            }
            return this;
        }

        /** An {@code Idempotency-Key} header, unless {@code key} is null. */
        public Call idempotencyKey(String key) {
            return key == null ? this : header("Idempotency-Key", key);
        }

        /** A JSON body with {@code Content-Type: application/json}. */
        public Call json(String json) {
            return header("Content-Type", "application/json").body(json.getBytes(StandardCharsets.UTF_8));
        }

        public Call body(byte[] bytes) {
            this.body = HttpRequest.BodyPublishers.ofByteArray(bytes);
            return this;
        }

        /** A body sent chunked, without Content-Length. */
        public Call chunked(byte[] bytes) {
            this.body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(bytes));
            return this;
        }

        /** How long the whole exchange may take (30 s unless set). */
        public Call timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public HttpResponse<String> send() {
            try {
                return http.send(request(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(method + " " + path + " interrupted", e);
            }
        }

        /** Sends without waiting: many requests in flight at once from one thread. */
        public CompletableFuture<HttpResponse<String>> sendAsync() {
            return http.sendAsync(request(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }

        private HttpRequest request() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .timeout(timeout).method(method, body);
            headers.forEach(h -> request.header(h[0], h[1]));
            return request.build();
        }
    }

    /** A response read off a raw socket: status, headers (names lower-cased) and body. */
    public record RawResponse(int status, Map<String, List<String>> headers, String body) {

        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    /** As {@link #raw(byte[], byte[])}, with the head written one byte per character (ISO-8859-1). */
    public RawResponse raw(String head, byte[] body) {
        return raw(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /**
     * Sends {@code head} (request line and header lines, CRLF-separated, without the blank line) and {@code body} byte
     * for byte over a fresh connection; {@code Host}, {@code Content-Length} and {@code Connection: close} are added.
     */
    public RawResponse raw(byte[] head, byte[] body) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(("\r\nHost: " + host + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RawResponse parse(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] rest = Arrays.copyOfRange(response, split + 4, response.length);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            rest = dechunk(rest);
        }
        return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(rest, StandardCharsets.UTF_8));
    }

    /** The body with the chunked transfer coding removed. */
    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = at;
            while (chunked[lineEnd] != '\r') {
                lineEnd++;
            }
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
