package io.patchbay.schemas.serde;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;

import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.testing.Fixtures;
import io.patchbay.schemas.testing.StubRegistry;

/**
 * Not a test: the CPU time and allocation of one {@link ConfluentAvroSerializer#serialize} of an evaluation update
 * command and of a command result (the fixtures' records), on one thread, 10 rounds of 10^6 each, median of the last
 * six. For BENCHMARKS.md (tuning log, "A buffered Avro encoder"): with the schemas module built ({@code ./mvnw -q -DskipTests package -pl
 * schemas -am}) and any app's exec jar unpacked into DIR for the libraries,
 * {@code java -cp "schemas/target/classes:schemas/target/test-classes:DIR/BOOT-INF/lib/*" schemas/src/test/java/io/patchbay/schemas/serde/SerializationCostProbe.java}.
 */
public final class SerializationCostProbe {

    private static final int PER_ROUND = 1_000_000;

    private SerializationCostProbe() {
    }

    public static void main(String[] args) {
        StubRegistry registry = StubRegistry.withFixedId(1);
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>(registry, SerdeConfig.from(Map.of(), false));
        EvaluationUpdateCommand command = Fixtures.evaluationUpdate("0196d76b-0000-7000-8000-000000000000");
        CommandResult result = Fixtures.commandResult();
        measure("evaluation update command", serializer, "commands", command);
        measure("command result", serializer, "results", result);
    }

    private static void measure(String name, ConfluentAvroSerializer<Object> serializer, String topic, Object record) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] nanos = new double[10];
        long bytes = 0;
        long sink = 0;
        for (int round = 0; round < nanos.length; round++) {
            long allocated = threads.getCurrentThreadAllocatedBytes();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) {
                sink += serializer.serialize(topic, record).length;
            }
            nanos[round] = (threads.getCurrentThreadCpuTime() - cpu) / (double) PER_ROUND;
            bytes = (threads.getCurrentThreadAllocatedBytes() - allocated) / PER_ROUND;
        }
        double[] measured = Arrays.copyOfRange(nanos, 4, nanos.length);
        Arrays.sort(measured);
        System.out.printf("%s (%d bytes): median %.0f ns CPU per record (rounds 5-10: %.0f-%.0f), %d bytes allocated%n", name,
                sink / nanos.length / PER_ROUND, measured[measured.length / 2], measured[0], measured[measured.length - 1], bytes);
    }
}
