package io.patchbay.devstack.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that can make the network between clients and one server bad without touching the
 * machine's network devices (no {@code tc} qdisc on {@code lo}, which other processes share): each direction of
 * each connection is delayed by a latency with jitter, stalls now and then as a lost segment's retransmission
 * would, and is reset (RST) now and then. Order within a connection is always kept, as TCP keeps it.
 *
 * <p>A user-space proxy cannot drop a segment and let TCP retransmit it; "loss" is therefore modelled by its two
 * visible effects, retransmission stalls and, at worst, broken connections.
 */
public final class FaultyProxy implements AutoCloseable {

    /**
     * How bad the network is.
     *
     * @param latency added one-way delay of every chunk of bytes
     * @param jitter up to this much more, at random (order is kept)
     * @param stallProbability chance per chunk of a retransmission-like stall
     * @param stall how long such a stall holds the direction
     * @param resetProbability chance per chunk that the connection is reset
     */
    public record Impairment(Duration latency, Duration jitter, double stallProbability, Duration stall,
                             double resetProbability) {

        public static final Impairment NONE = new Impairment(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0);

        @Override
        public String toString() {
            return String.format("latency=%dms+%dms stall=%.3f×%dms reset=%.4f", latency.toMillis(), jitter.toMillis(),
                    stallProbability, stall.toMillis(), resetProbability);
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private volatile Impairment impairment = Impairment.NONE;
    private volatile boolean closed;

    private FaultyProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** Listens on {@code port} of loopback (0: a free one) and forwards every connection to {@code upstreamPort}. */
    public static FaultyProxy start(int port, int upstreamPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            FaultyProxy proxy = new FaultyProxy(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
            daemon("proxy-accept-" + server.getLocalPort(), proxy::accept).start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("the proxy could not listen on port " + port, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on, traffic (in connections open or new) suffers {@code impairment}. */
    public void impair(Impairment impairment) {
        this.impairment = impairment;
    }

    /** Back to a clean network; bytes already delayed still arrive in order. */
    public void heal() {
        impairment = Impairment.NONE;
    }

    public Impairment impairment() {
        return impairment;
    }

    /** Connections accepted, connections reset, and stalls, so far. */
    public String counters() {
        return "connections=" + connections.get() + " resets=" + resets.get() + " stalls=" + stalls.get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            connections.incrementAndGet();
            Socket backend = new Socket();
            try {
                client.setTcpNoDelay(true);
                backend.setTcpNoDelay(true);
                backend.connect(upstream, 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(backend);
                continue;
            }
            Connection connection = new Connection(client, backend);
            sockets.add(client);
            sockets.add(backend);
            connection.pump(client, backend, "up");
            connection.pump(backend, client, "down");
        }
    }

    /** One proxied connection; either direction ending ends both. */
    private final class Connection {

        private final Socket client;
        private final Socket backend;
        private volatile boolean done;

        Connection(Socket client, Socket backend) {
            this.client = client;
            this.backend = backend;
        }

        void pump(Socket from, Socket to, String direction) {
            BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
            String name = "proxy-" + from.getPort() + "-" + direction;
            daemon(name + "-read", () -> read(from, queue)).start();
            daemon(name + "-write", () -> write(to, queue)).start();
        }

        private void read(Socket from, BlockingQueue<Chunk> queue) {
            byte[] buffer = new byte[16 * 1024];
            long lastDue = 0;
            try (InputStream in = from.getInputStream()) {
                int n;
                while (!done && (n = in.read(buffer)) >= 0) {
                    Impairment now = impairment;
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    if (now.resetProbability() > 0 && random.nextDouble() < now.resetProbability()) {
                        resets.incrementAndGet();
                        reset();
                        return;
                    }
                    long delay = now.latency().toNanos()
                            + (now.jitter().isZero() ? 0 : random.nextLong(now.jitter().toNanos() + 1));
                    if (now.stallProbability() > 0 && random.nextDouble() < now.stallProbability()) {
                        stalls.incrementAndGet();
                        delay += now.stall().toNanos();
                    }
                    long due = Math.max(lastDue, System.nanoTime() + delay);
                    lastDue = due;
                    queue.add(new Chunk(Arrays.copyOf(buffer, n), due));
                }
            } catch (IOException e) {
                // the peer closed or reset
            } finally {
                queue.add(Chunk.END);
            }
        }

        private void write(Socket to, BlockingQueue<Chunk> queue) {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == Chunk.END) {
                        break;
                    }
                    long wait = chunk.due() - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException e) {
                // the peer closed or reset
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        /** An abortive close: both peers see a reset, as when a connection breaks on the network. */
        private void reset() {
            for (Socket socket : new Socket[] {client, backend}) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (IOException e) {
                    // already closed
                }
            }
            close();
        }

        private void close() {
            done = true;
            closeQuietly(client);
            closeQuietly(backend);
            sockets.remove(client);
            sockets.remove(backend);
        }
    }

    private record Chunk(byte[] bytes, long due) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do
        }
        sockets.forEach(FaultyProxy::closeQuietly);
    }
}
