package io.patchbay.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP front of the benchmark's baselines ({@link CrudServer}, the Kafka relay's front): the JDK's HTTP server on
 * a loopback port, {@code /api/} handled on a fixed pool of daemon threads, JSON answers written in one piece.
 */
public final class LeanHttpServer implements AutoCloseable {

    private final ExecutorService executor;
    private final HttpServer server;

    /** Starts serving {@code /api/} with {@code handler} on {@code threads} threads named {@code threadName}. */
    public LeanHttpServer(String threadName, int threads, HttpHandler handler) {
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        // without it the JDK server's separate header and body writes meet the client's delayed ACK: +40 ms a request
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("could not open a loopback port", e);
        }
        server.createContext("/api/", handler);
        server.setExecutor(executor);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Answers {@code exchange} with {@code status} and the JSON {@code body} (none when empty) and closes it; from any
     * thread, so that an answer can be written when it arrives. A client that has gone is not an error.
     */
    public static void respond(HttpExchange exchange, int status, byte[] body) {
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client has gone; nothing to answer
        } finally {
            exchange.close();
        }
    }

    /** {@link #respond(HttpExchange, int, byte[])} with a text body. */
    public static void respond(HttpExchange exchange, int status, String body) {
        respond(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The end of a child JVM's main: prints {@code listening} with the URL, then {@code ready} (the markers its parent
     * waits for), and serves until the JVM is stopped.
     */
    public void announceAndServe(String listening, String ready) throws InterruptedException {
        System.out.println(listening + baseUrl());
        System.out.println(ready);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /**
     * The URL a child JVM started with {@link #announceAndServe} printed after {@code listening}, read from its log.
     *
     * @throws IllegalStateException when its log names none
     */
    public static String announcedUrl(AppProcess process, String listening) {
        String line = process.logLine(listening).orElseThrow(() -> new IllegalStateException(process.name()
                + " named no URL; see " + process.log()));
        return line.substring(line.indexOf(listening) + listening.length()).trim();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
