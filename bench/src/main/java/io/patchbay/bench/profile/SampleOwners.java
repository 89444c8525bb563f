package io.patchbay.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.patchbay.bench.ChildArguments;

/**
 * Who a JVM's CPU samples belong to: each execution sample of a JFR recording ({@code ./bench.sh --jfr DIR}) is charged
 * to the first frame from the top of its stack that is not the JDK's own, and that frame's class to one of
 * {@link Owner}'s parts. So a {@code HashMap} lookup inside Tomcat's header parsing counts for Tomcat, and a sample
 * that never leaves the JDK (a socket read, a parked thread) counts as "JDK only". From the benchmark's executable jar:
 *
 * <pre>java -Dloader.main=io.patchbay.bench.profile.SampleOwners -cp bench/target/patchbay-bench.jar \
 *   org.springframework.boot.loader.launch.PropertiesLauncher DIR/adapter-http.jfr [--threads REGEX] [--from INSTANT] [--to INSTANT]</pre>
 */
public final class SampleOwners {

    private final Map<Owner, Integer> samples = new LinkedHashMap<>();
    private final Map<String, Integer> frames = new HashMap<>();
    private int total;

    /** Counts the samples of {@code options.recording} that pass its thread and time filters. */
    static SampleOwners read(Options options) throws IOException {
        SampleOwners owners = new SampleOwners();
        Pattern threads = Pattern.compile(options.threads);
        try (RecordingFile recording = new RecordingFile(options.recording)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (event.getEventType().getName().equals("jdk.ExecutionSample") && event.getStackTrace() != null
                        && threads.matcher(threadName(event)).matches()
                        && (options.from == null || !event.getStartTime().isBefore(options.from))
                        && (options.to == null || !event.getStartTime().isAfter(options.to))) {
                    owners.add(event.getStackTrace().getFrames());
                }
            }
        }
        return owners;
    }

    private static String threadName(RecordedEvent event) {
        RecordedThread thread = event.getThread("sampledThread");
        return thread == null || thread.getJavaName() == null ? "" : thread.getJavaName();
    }

    private void add(List<RecordedFrame> stack) {
        total++;
        for (RecordedFrame frame : stack) {
            String type = frame.getMethod().getType().getName();
            Owner owner = Owner.of(type);
            if (owner != Owner.JDK) {
                samples.merge(owner, 1, Integer::sum);
                frames.merge(type + "." + frame.getMethod().getName(), 1, Integer::sum);
                return;
            }
        }
        samples.merge(Owner.JDK, 1, Integer::sum);
    }

    /** The share of the counted samples charged to {@code owner}; 0 when none were counted. */
    double share(Owner owner) {
        return total == 0 ? 0 : (double) samples.getOrDefault(owner, 0) / total;
    }

    /** The parts, largest first, then the {@code top} owning methods. */
    String report(int top) {
        StringBuilder out = new StringBuilder(total + " samples\n");
        samples.entrySet().stream().sorted(Map.Entry.<Owner, Integer>comparingByValue().reversed())
                .forEach(e -> out.append(String.format("%7d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / total,
                        e.getKey().label)));
        out.append("owning methods:\n");
        frames.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format("%7d  %s%n", e.getValue(), e.getKey())));
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        Options options = ChildArguments.parse(new Options(), args);
        System.out.print(read(options).report(options.top));
    }

    /** The parts of a patchbay JVM a sample is charged to, by the owning frame's package. */
    enum Owner {
        TOMCAT("Tomcat and the servlet API", "org.apache.tomcat.", "org.apache.coyote.", "org.apache.catalina.", "jakarta.servlet."),
        SPRING_WEB("Spring MVC and web", "org.springframework.web.", "org.springframework.http."),
        SPRING("Spring (other)", "org.springframework."),
        PATCHBAY("patchbay", "io.patchbay."),
        KAFKA("Kafka clients", "org.apache.kafka."),
        AVRO("Avro", "org.apache.avro."),
        JSON("Jackson", "tools.jackson.", "com.fasterxml.jackson."),
        OBSERVATION("Micrometer and OpenTelemetry", "io.micrometer.", "io.opentelemetry."),
        LOGGING("logging", "ch.qos.logback.", "org.slf4j.", "org.apache.commons.logging."),
        DATABASE("JDBC and Jdbi", "org.jdbi.", "org.postgresql.", "com.zaxxer."),
        CACHE("Caffeine", "com.github.benmanes.caffeine."),
        JDK("JDK only", "java.", "javax.", "jdk.", "sun.", "com.sun."),
        OTHER("other");

        private final String label;
        private final List<String> packages;

        Owner(String label, String... packages) {
            this.label = label;
            this.packages = List.of(packages);
        }

        /** The part that owns a frame of class {@code type}. */
        static Owner of(String type) {
            for (Owner owner : values()) {
                if (owner.packages.stream().anyMatch(type::startsWith)) {
                    return owner;
                }
            }
            return OTHER;
        }
    }

    /** The tool's command line. */
    @Command(name = "sample-owners")
    static final class Options {

        @Parameters(index = "0", description = "a JFR recording")
        Path recording;

        @Option(names = "--threads", defaultValue = ".*", description = "only threads whose name matches (default: all)")
        String threads;

        @Option(names = "--from", description = "only samples from this instant (default: the recording's start)")
        Instant from;

        @Option(names = "--to", description = "only samples until this instant (default: the recording's end)")
        Instant to;

        @Option(names = "--top", defaultValue = "25", description = "owning methods listed (default: ${DEFAULT-VALUE})")
        int top;
    }
}
