package io.patchbay.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The live display of a run: the current phase, how far it is, its current rate. On a terminal one line is
 * redrawn every second; otherwise (CI, test logs) a line is printed every five seconds.
 */
public final class Progress implements AutoCloseable {

    private final PrintStream out;
    private final boolean terminal;
    private final long runStart = System.nanoTime();
    private final Thread thread;
    private volatile String phase = "starting";
    private volatile LongSupplier done = () -> 0;
    private volatile long total;
    private volatile Supplier<String> detail = () -> "";
    private volatile long phaseStart = System.nanoTime();
    private volatile boolean running = true;
    private long lastDone;
    private long lastAt = System.nanoTime();
    private boolean lineOpen;

    public Progress(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        this.thread = new Thread(this::loop, "bench-progress");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A phase whose progress is {@code done} out of {@code total} (0 when unknown). */
    public synchronized void phase(String name, long total, LongSupplier done) {
        phase(name, total, done, () -> "");
    }

    public synchronized void phase(String name, long total, LongSupplier done, Supplier<String> detail) {
        this.phase = name;
        this.total = total;
        this.done = done;
        this.detail = detail;
        this.phaseStart = System.nanoTime();
        this.lastDone = 0;
        this.lastAt = phaseStart;
        print(true);
    }

    /** A message on its own line (results of a step, warnings). */
    public synchronized void note(String message) {
        clearLine();
        out.println("  " + message);
        out.flush();
    }

    private void loop() {
        int tick = 0;
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            tick++;
            if (terminal || tick % 5 == 0) {
                synchronized (this) {
                    print(false);
                }
            }
        }
    }

    private void print(boolean newPhase) {
        long now = System.nanoTime();
        long value = done.getAsLong();
        double rate = (value - lastDone) / Math.max(1e-9, (now - lastAt) / 1e9);
        lastDone = value;
        lastAt = now;
        String line = String.format(Locale.ROOT, "[%6.1fs] %-34s %s%s%s", (now - runStart) / 1e9, phase,
                total > 0 ? String.format(Locale.ROOT, "%,d/%,d (%3.0f%%)", value, total, 100.0 * value / total)
                        : (value > 0 ? String.format(Locale.ROOT, "%,d", value) : ""),
                newPhase || value == 0 ? "" : String.format(Locale.ROOT, "  %,.0f/s", rate),
                detail.get().isEmpty() ? "" : "  " + detail.get());
        if (terminal) {
            out.print("\r\033[2K" + line);
            lineOpen = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void clearLine() {
        if (terminal && lineOpen) {
            out.print("\r\033[2K");
            lineOpen = false;
        }
    }

    /** Seconds since the phase started. */
    public double phaseSeconds() {
        return (System.nanoTime() - phaseStart) / 1e9;
    }

    @Override
    public synchronized void close() {
        running = false;
        thread.interrupt();
        clearLine();
        out.flush();
    }
}
