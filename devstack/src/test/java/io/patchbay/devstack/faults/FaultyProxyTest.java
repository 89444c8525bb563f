package io.patchbay.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultyProxyTest {

    private ServerSocket echo;
    private FaultyProxy proxy;

    @BeforeEach
    void echoServerBehindTheProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread pump = new Thread(() -> {
                        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    pump.setDaemon(true);
                    pump.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        server.setDaemon(true);
        server.start();
        proxy = FaultyProxy.start(0, echo.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        echo.close();
    }

    private String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        byte[] back = socket.getInputStream().readNBytes(text.length());
        return new String(back, StandardCharsets.UTF_8);
    }

    @Test
    void aCleanProxyPassesEveryByteBothWays() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            String text = "x".repeat(100_000) + "end";

            assertThat(roundTrip(socket, text)).isEqualTo(text);
        }
    }

    @Test
    void latencyDelaysEachDirectionAndKeepsTheOrder() throws IOException {
        proxy.impair(new FaultyProxy.Impairment(Duration.ofMillis(150), Duration.ofMillis(50), 0, Duration.ZERO, 0));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            long start = System.nanoTime();
            String echoed = roundTrip(socket, "first") + roundTrip(socket, "second");

            assertThat(echoed).isEqualTo("firstsecond");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void aResetBreaksTheConnectionAndHealingLetsNewOnesThrough() throws IOException {
        proxy.impair(new FaultyProxy.Impairment(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 1.0));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("doomed".getBytes(StandardCharsets.UTF_8));
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (IOException e) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
        assertThat(proxy.counters()).contains("resets=1");

        proxy.heal();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            assertThat(roundTrip(socket, "healed")).isEqualTo("healed");
        }
    }
}
