package io.patchbay.devstack.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds free loopback ports for servers that bind them later (a child process, PostgreSQL after its initdb).
 *
 * <p>A port is picked below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), so that nothing
 * started between the pick and the bind can be given it: not a listener that binds port 0 (the in-process Kafka
 * broker), and not the local end of an outgoing connection, of which a test run makes thousands. A port handed out by
 * binding port 0, as before, sat in that range, and a collision left the server unable to bind or, worse, a readiness
 * probe talking to the wrong listener. Where the range cannot be read, the kernel picks as before.
 *
 * <p>A port is handed out once per JVM: two servers whose ports were picked before either bound (a stack's child
 * processes, say) never get the same one.
 */
public final class FreePorts {

    /** The lowest port picked: above the registered ports most local services use. */
    static final int LOWEST = 20_000;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int TRIES = 100;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A loopback port free now and outside the ephemeral range when the range is known. */
    public static int find() {
        int ephemeralLow = ephemeralLow();
        for (int i = 0; i < TRIES && ephemeralLow > LOWEST; i++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralLow);
            if (!HANDED_OUT.contains(port) && isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        for (int i = 0; i < TRIES; i++) {
            int port = anyFree();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port left that this JVM has not handed out already");
    }

    /** The first port of the kernel's ephemeral range, or 0 when it cannot be read. */
    static int ephemeralLow() {
        try {
            // read line by line: procfs reports a size the whole-file readers trust and cut the text at
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
