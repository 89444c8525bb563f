package io.patchbay.devstack;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 client that sends requests byte for byte as given (any method, request target, header bytes and body,
 * which {@code java.net.http.HttpClient} refuses to send) over one kept-alive connection, from a chosen local address
 * if wanted (any of 127.0.0.0/8 on loopback). It reconnects whenever the server closes the connection.
 */
public final class RawHttp implements AutoCloseable {

    /** A response: status, headers (names lower-cased, in order) and the body bytes. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {

        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final InetSocketAddress server;
    private final InetAddress local;
    private final int timeoutMillis;
    private Socket socket;

    /** @param local the address to connect from; null lets the system choose */
    public RawHttp(int port, InetAddress local, Duration timeout) {
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.local = local;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /**
     * Sends {@code head} (request line and header lines, CRLF-separated, without the blank line; ISO-8859-1, one byte
     * per char) and {@code body}, with {@code Host} and {@code Content-Length} added, and reads the answer.
     */
    public Response send(String head, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(("\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        return exchange(request.toByteArray(), head.startsWith("HEAD "));
    }

    /** Sends {@code request} exactly as given (nothing added) and reads the answer. */
    public Response exchange(byte[] request, boolean noBody) {
        boolean reused = socket != null;
        try {
            if (socket == null) {
                socket = new Socket();
                if (local != null) {
                    socket.bind(new InetSocketAddress(local, 0));
                }
                socket.setSoTimeout(timeoutMillis);
                socket.connect(server, timeoutMillis);
            }
            Response response;
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                response = read(socket.getInputStream(), noBody);
            } catch (java.net.SocketException unsent) {
                // A server may answer before reading the whole body and close (RFC 9112 §9.6): the write then fails
                // (broken pipe, reset), but the answer it sent first is still there to read.
                response = answerSentBeforeTheClose(unsent, noBody);
            }
            if (response.headers("connection").stream().anyMatch(v -> v.equalsIgnoreCase("close"))) {
                close();
            }
            return response;
        } catch (IOException e) {
            close();
            // A kept-alive connection that the server closed while idle ends before any answer: once more, fresh.
            if (reused && (e instanceof NoResponseException || e instanceof java.net.SocketException)) {
                return exchange(request, noBody);
            }
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The complete response the server sent before it closed a connection this client was still writing to, marked
     * {@code Connection: close}; rethrows {@code unsent} when there is none.
     */
    private Response answerSentBeforeTheClose(java.net.SocketException unsent, boolean noBody) throws IOException {
        Response response;
        try {
            response = read(socket.getInputStream(), noBody);
        } catch (IOException | RuntimeException nothing) {
            unsent.addSuppressed(nothing);
            throw unsent;
        }
        List<String> length = response.headers("content-length");
        if (!noBody && !length.isEmpty() && Integer.parseInt(length.get(0)) != response.body().length) {
            throw unsent; // cut short: not the answer the server sent
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
        headers.put("connection", List.of("close"));
        return new Response(response.status(), headers, response.body());
    }

    /** The connection ended before the first byte of a response. */
    private static final class NoResponseException extends EOFException {
        NoResponseException() {
            super("connection closed before a response");
        }
    }

    private static Response read(InputStream in, boolean noBody) throws IOException {
        int status;
        Map<String, List<String>> headers;
        do {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new NoResponseException();
            }
            status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            headers = new LinkedHashMap<>();
            for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        } while (status >= 100 && status < 200 && status != 101); // interim answers (100 Continue) precede the response
        if (noBody || status == 204 || status == 304 || status < 200) {
            return new Response(status, headers, new byte[0]);
        }
        List<String> length = headers.getOrDefault("content-length", List.of());
        if (!length.isEmpty()) {
            return new Response(status, headers, in.readNBytes(Integer.parseInt(length.get(0))));
        }
        if (headers.getOrDefault("transfer-encoding", List.of()).stream().anyMatch(v -> v.equalsIgnoreCase("chunked"))) {
            return new Response(status, headers, dechunk(in));
        }
        headers.put("connection", List.of("close"));
        return new Response(status, headers, in.readAllBytes());
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not used
                }
                return out.toByteArray();
            }
            out.writeBytes(in.readNBytes(size));
            line(in);
        }
    }

    /** One CRLF-terminated line as ISO-8859-1, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
