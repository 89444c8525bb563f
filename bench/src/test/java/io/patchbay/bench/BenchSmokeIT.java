package io.patchbay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark in its smoke mode (2,000 commands, one second per HTTP mode and per latency step, one Debezium
 * sink configuration), so that the instrument keeps working: every phase produces results whose counts add up,
 * the sink ends with the processor's rows, and the JSON and charts are written. No timing thresholds: speed claims
 * live in BENCHMARKS.md, as ratios from a full run.
 */
class BenchSmokeIT {

    @Test
    void smokeRunMeasuresEveryPhaseAndWritesTheJsonResult() throws Exception {
        Path out = Path.of("target", "bench-smoke-result.json").toAbsolutePath();
        Files.deleteIfExists(out);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchOptions options = BenchOptions.parse("--smoke", "--out", out.toString());

        Results.Run run = new Bench(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(printed).contains("targets:", "raw database limit", "processor (drain)", "naive consumer",
                "Debezium JDBC sink", "latency under load", "Kafka relay baseline");

        assertThat(run.rawDatabase().commands()).isEqualTo(2_000);
        assertThat(run.rawDatabase().statuses().total()).isEqualTo(2_000);
        assertThat(run.rawDatabase().verification().consistent()).isTrue();

        assertThat(run.processor().outcomes()).isEqualTo(2_000);
        assertThat(run.processor().statuses().total()).isEqualTo(2_000);
        assertThat(run.processor().verification().consistent()).isTrue();
        assertThat(run.processor().statuses()).as("the same commands on the same data decide the same way")
                .isEqualTo(run.rawDatabase().statuses());
        assertThat(run.processor().statuses().applied()).isPositive();
        assertThat(run.processor().statuses().rejected()).isPositive();
        assertThat(run.processor().commandsPerSecond()).isPositive();
        assertSplitAddsUp("processor, whole run", run.processor().appCpuMillisPerCommandByThreadGroup(),
                run.processor().cpuMillisPerCommand().app());
        assertThat(run.processor().appCpuMillisPerCommandByThreadGroup().get("jit"))
                .as("the JIT compiles while the fresh processor JVM starts and drains").isPositive();
        Results.Window processorHalf = run.processor().secondHalf();
        assertThat(processorHalf).as("the processor's second half, read at least once between half and the end").isNotNull();
        assertSecondHalf("processor", processorHalf, run.processor().commands());

        assertThat(run.peer().records()).as("one full row per applied change").isEqualTo(run.processor().statuses().applied());
        assertThat(run.peer().runs()).extracting(Results.SinkRun::configuration).containsExactly("upsert");
        Results.SinkRun sink = run.peer().runs().get(0);
        assertThat(sink.sameRowsAsProcessor()).as("sink rows: " + sink.firstDifference()).isTrue();
        assertThat(sink.records()).isEqualTo(run.peer().records());
        assertThat(sink.recordsPerSecond()).isPositive();
        assertThat(sink.cpuMillisPerRecord().app()).isPositive();
        assertSplitAddsUp("sink, whole run", sink.appCpuMillisPerRecordByThreadGroup(), sink.cpuMillisPerRecord().app());
        if (sink.secondHalf() != null) { // the smoke's sink drains ~1,600 rows in ~0.2 s: it may end before the next poll
            assertSecondHalf("sink", sink.secondHalf(), sink.records());
            assertThat(run.ratios()).containsKeys("processorOverSinkPerCpuSecondHalf",
                    "processorOverSinkPerCpuSecondHalfExcludingJit");
        }
        assertThat(sink.settings()).containsEntry("insert.mode", "upsert").doesNotContainKey("connection.password");

        assertThat(run.latency()).extracting(Results.LatencyLadder::implementation)
                .containsExactly(Bench.PROCESSOR, Bench.SINK + " (upsert)");
        for (Results.LatencyLadder ladder : run.latency()) {
            assertThat(ladder.steps()).extracting(Results.SteadyLatency::fractionOfDrain).containsExactly(0.1, 0.5);
            for (Results.SteadyLatency step : ladder.steps()) {
                assertThat(step.received()).as(ladder.implementation() + " answered").isEqualTo(step.sent());
                assertThat(step.latencyMillis().count()).isEqualTo(step.sent());
                assertThat(step.offeredRate()).isCloseTo(ladder.drainRate() * step.fractionOfDrain(), within(1.0));
                if (ladder.implementation().equals(Bench.PROCESSOR)) {
                    assertThat(step.untilProducedMillis().count()).as("processor part of each latency").isEqualTo(step.sent());
                    assertThat(step.untilProducedMillis().p50()).as("produced before read").isLessThanOrEqualTo(step.latencyMillis().p50() + 1.0);
                } else {
                    assertThat(step.untilProducedMillis()).as("the sink's rows carry no timestamp").isNull();
                }
            }
        }

        assertThat(run.naiveConsumer().commands()).isBetween(1L, 300L);
        assertThat(run.naiveConsumer().statuses().total()).isEqualTo(run.naiveConsumer().commands());
        assertThat(run.naiveConsumer().verification().consistent()).isTrue();

        assertThat(run.http()).extracting(Results.HttpLadder::mode)
                .containsExactlyInAnyOrder("sync", "async", "crud", "relay-sync", "relay-async");
        for (Results.HttpLadder ladder : run.http()) {
            assertThat(ladder.steps()).as(ladder.mode()).isNotEmpty();
            Results.HttpStep warmup = ladder.warmup();
            assertThat(warmup).as(ladder.mode() + " warm-up kept").isNotNull();
            assertThat(warmup.sent()).as(ladder.mode() + " warm-up").isPositive();
            assertThat(warmup.ok() + warmup.failed() + warmup.timedOut()).as(ladder.mode() + " warm-up").isEqualTo(warmup.sent());
            assertThat(warmup.responses().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(warmup.sent());
            for (Results.HttpStep step : ladder.steps()) {
                assertThat(step.sent()).as(ladder.mode()).isEqualTo(step.offeredRate() * 1L);
                assertThat(step.ok() + step.failed() + step.timedOut()).as(ladder.mode()).isEqualTo(step.sent());
                assertThat(step.responses().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(step.sent());
                assertThat(step.latencyMillis().count()).as(ladder.mode()).isEqualTo(step.sent());
                assertThat(step.ok()).as(ladder.mode() + " answered with the expected status: " + step.responses()).isPositive();
                assertThat(step.cpuMillisPerRequest()).as(ladder.mode() + " CPU per request").isPositive();
                java.util.List<String> jvms = switch (ladder.mode()) {
                    case "crud" -> java.util.List.of("crud");
                    case "relay-sync", "relay-async" -> java.util.List.of("relay-front", "relay-applier");
                    default -> java.util.List.of("adapter", "processor");
                };
                assertThat(step.cpuMillisPerRequestByPart()).as(ladder.mode() + " CPU per request by part")
                        .containsKey("postgresql").containsKeys(jvms.toArray(String[]::new));
                assertThat(step.cpuMillisPerRequestByPart().get("generator")).as(ladder.mode() + " the HTTP generator's own CPU")
                        .isPositive();
                assertThat(step.cpuMillisPerRequestByThreadGroup()).as(ladder.mode() + " each JVM by thread group")
                        .containsOnlyKeys(jvms)
                        .allSatisfy((jvm, groups) -> assertThat(groups).containsOnlyKeys("jit", "gc/vm", "work"));
            }
        }

        Results.TwoAdapters two = run.twoAdapters();
        assertThat(two).as("the two-adapter step was measured").isNotNull();
        assertThat(two.step().ok()).as("two adapters answered: " + two.step().responses()).isPositive();
        assertThat(two.step().cpuMillisPerRequestByPart()).containsKeys("adapter-1", "adapter-2", "processor", "postgresql");
        assertThat(two.adapters()).extracting(Results.AdapterReplies::adapter).containsExactly("adapter-1", "adapter-2");
        assertThat(two.adapters().stream().mapToLong(Results.AdapterReplies::requests).sum()).isEqualTo(two.step().sent());
        assertThat(two.adapters()).as("each decodes outcomes of its own requests only")
                .allSatisfy(a -> assertThat(a.decoded()).isBetween(1L, a.requests()));
        assertThat(two.adapters()).extracting(Results.AdapterReplies::skipped).as("replies for the other instance read").containsOnly(0L);

        assertThat(run.memory()).extracting(Results.Memory::app).containsExactly("processor", "adapter");
        for (Results.Memory memory : run.memory()) {
            assertThat(memory.restKb()).as(memory.app()).isPositive();
            assertThat(memory.httpLoadMaxKb()).as(memory.app()).isPositive();
        }
        assertThat(run.memory().get(0).drainMaxKb()).isPositive();

        assertThat(run.idleCpu()).extracting(Results.IdleCpu::app).containsExactly("adapter", "postgresql", "processor");
        assertThat(run.idleCpu()).allSatisfy(idle -> assertThat(idle.percentOfCore()).isNotNegative());
        assertThat(run.authentication().steps()).extracting(WrongSecretBench.Step::request)
                .containsExactly("no credentials", "wrong secret, HMAC key", "wrong secret, legacy PBKDF2 key",
                        "no credentials, again");
        for (WrongSecretBench.Step step : run.authentication().steps()) {
            assertThat(step.statuses()).as(step.request()).isEqualTo(java.util.Map.of(401, step.requests()));
        }
        assertThat(run.authentication().steps().get(2).adapterCpuMillisPerRequest()).as("a PBKDF2 check costs CPU").isPositive();

        assertThat(run.ratios()).containsKeys("processorOverNaive", "processorOverRawDatabase", "processorOverSinkPerCpu",
                "processorOverSinkPerCpuExcludingJit");
        assertThat(run.ratios().get("processorOverSinkPerCpuExcludingJit")).isPositive();
        assertThat(printed).contains("whole run, app CPU ms by thread group: jit", "second half (");
        assertThat(run.targets()).hasSize(6).allMatch(t -> t.met() != null, "every target measured");

        assertThat(run.charts()).containsExactly("bench-smoke-result-latency-vs-rate.png", "bench-smoke-result-cpu-per-command.png");
        for (String chart : run.charts()) {
            assertThat(out.resolveSibling(chart)).isNotEmptyFile();
            assertThat(javax.imageio.ImageIO.read(out.resolveSibling(chart).toFile()).getWidth()).isPositive();
        }

        JsonNode json = JsonMapper.builder().build().readTree(out.toFile());
        assertThat(json.get("processor").get("outcomes").asLong()).isEqualTo(2_000);
        assertThat(json.get("processor").get("appCpuMillisPerCommandByThreadGroup").size()).isEqualTo(3);
        assertThat(json.get("processor").get("secondHalf").get("units").asLong()).isEqualTo(processorHalf.units());
        assertThat(json.get("peer").get("runs").get(0).get("appCpuMillisPerRecordByThreadGroup").size()).isEqualTo(3);
        assertThat(json.get("http").size()).isEqualTo(5);
        assertThat(json.get("http").get(0).get("steps").get(0).get("cpuMillisPerRequestByThreadGroup").size()).isPositive();
        assertThat(json.get("http").get(0).get("warmup").get("sent").asLong()).isEqualTo(run.http().get(0).warmup().sent());
        assertThat(json.get("machine").get("cores").asInt()).isPositive();
        assertThat(json.get("targets").size()).isEqualTo(6);
        assertThat(json.get("peer").get("runs").get(0).get("sameRowsAsProcessor").asBoolean()).isTrue();
        assertThat(json.get("latency").size()).isEqualTo(2);
    }

    private static void assertSplitAddsUp(String what, java.util.Map<String, Double> byThreadGroup, double appMillis) {
        assertThat(byThreadGroup).as(what).containsOnlyKeys("jit", "gc/vm", "work");
        assertThat(byThreadGroup.values()).as(what).allSatisfy(millis -> assertThat(millis).isNotNegative());
        assertThat(byThreadGroup.values().stream().mapToDouble(Double::doubleValue).sum()).as(what + ": the groups add up")
                .isCloseTo(appMillis, within(1e-6));
    }

    private static void assertSecondHalf(String what, Results.Window half, long total) {
        assertThat(half.fromDone()).as(what + " second half starts at half").isBetween(CpuWindow.halfOf(total), total - 1);
        assertThat(half.units()).as(what + " second half's units").isEqualTo(total - half.fromDone());
        assertThat(half.seconds()).as(what).isPositive();
        assertThat(half.perSecond()).as(what).isCloseTo(half.units() / half.seconds(), within(1e-6));
        assertThat(half.cpuMillisPerUnit().app()).as(what).isNotNegative();
        assertThat(half.cpuMillisPerUnit().database()).as(what).isNotNegative();
        assertSplitAddsUp(what + ", second half", half.appCpuMillisByThreadGroup(), half.cpuMillisPerUnit().app());
    }
}
