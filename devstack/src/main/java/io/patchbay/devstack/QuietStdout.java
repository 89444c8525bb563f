package io.patchbay.devstack;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs something with the in-process broker's storage-formatting report left out of {@code System.out}: the test kit
 * prints it there, not to a logger. Every other line passes through unchanged.
 */
final class QuietStdout {

    private static final List<String> DROPPED = List.of("Bootstrap metadata:", "Formatting metadata directory");

    private QuietStdout() {
    }

    static <T> T run(Supplier<T> action) {
        PrintStream original = System.out;
        LineFilter filter = new LineFilter(original);
        System.setOut(new PrintStream(filter, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.out.flush();
            System.setOut(original);
            filter.finish();
        }
    }

    private static final class LineFilter extends OutputStream {

        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                if (DROPPED.stream().noneMatch(text::startsWith)) {
                    target.print(text);
                }
                line.reset();
            }
        }

        /** Lines are passed on whole, so a flush in the middle of one (other threads flush System.out) waits for its end. */
        @Override
        public synchronized void flush() {
            target.flush();
        }

        synchronized void finish() {
            target.print(line.toString(StandardCharsets.UTF_8));
            line.reset();
            target.flush();
        }
    }
}
