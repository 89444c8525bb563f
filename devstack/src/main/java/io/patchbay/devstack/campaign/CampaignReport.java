package io.patchbay.devstack.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.patchbay.devstack.campaign.check.HistoryChecker.Verdict;
import io.patchbay.devstack.campaign.check.HistoryChecker.Violation;
import io.patchbay.devstack.campaign.schedule.FaultKind;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a campaign did and found: its parameters (enough to run it again), the faults it injected by kind, the
 * checker's counts, and every violation, the first one named with the seed and the schedule.
 */
public record CampaignReport(long seed, long durationSeconds, int rate, String commandLine, String commit, long elapsedMillis,
                             Map<FaultKind, Integer> faultsInjected, List<String> schedule, List<String> faultsRun,
                             Verdict verdict, Path directory) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public boolean passed() {
        return verdict.violations().isEmpty();
    }

    /** The one-line summary every campaign prints. */
    public String summary() {
        Verdict v = verdict;
        return String.format("CAMPAIGN seed=%d duration=%ds rate=%d/s commit=%s ops=%d kafkaRecords=%d httpRequests=%d"
                        + " accepted=%d (http %d) applied=%d rejected=%d deadLettered=%d unknownOutcome=%d http202=%d httpRetries=%d"
                        + " lost=%d appliedTwice=%d versionGaps=%d stuckPartitions=%d duplicatedEvents=%d duplicatedResults=%d"
                        + " purged=%d phantom202=%d notSent=%d violations=%d faults=%s elapsed=%.0fs",
                seed, durationSeconds, rate, commit, v.ops(), v.kafkaRecords(), v.httpRequests(), v.accepted(), v.httpAccepted(), v.applied(),
                v.rejected(), v.deadLettered(), v.unknownOutcome(), v.http202(), v.httpRetries(), v.lost(), v.appliedTwice(),
                v.versionGaps(), v.stuckPartitions(), v.duplicatedEvents(), v.duplicatedResults(), v.purged(), v.phantom202s().size(),
                v.notSent(), v.violations().size(),
                new TreeMap<>(faultsInjected), elapsedMillis / 1000.0);
    }

    /** The summary, violations by kind, the first violation with what is needed to replay it, and the faults. */
    public String details() {
        StringBuilder text = new StringBuilder(summary()).append('\n');
        if (!passed()) {
            Violation first = verdict.violations().get(0);
            text.append("FIRST VIOLATION: ").append(first.describe()).append('\n')
                    .append("  replay (commit ").append(commit).append("): ").append(commandLine).append('\n')
                    .append("  violations by kind: ").append(byKind()).append('\n');
            verdict.violations().stream().limit(25).forEach(v -> text.append("  ").append(v.describe()).append('\n'));
            if (verdict.violations().size() > 25) {
                text.append("  ... ").append(verdict.violations().size() - 25).append(" more in ")
                        .append(directory.resolve("report.json")).append('\n');
            }
        }
        if (!verdict.phantom202s().isEmpty()) {
            text.append("202s for commands that never reached Kafka (a later retry with the key got one decided):\n");
            verdict.phantom202s().stream().limit(5).forEach(p -> text.append("  ").append(p).append('\n'));
        }
        text.append("faults:\n");
        faultsRun.forEach(f -> text.append("  ").append(f).append('\n'));
        text.append("history, logs and report: ").append(directory);
        return text.toString();
    }

    private String byKind() {
        Map<String, Long> counts = verdict.violations().stream()
                .collect(Collectors.groupingBy(Violation::kind, TreeMap::new, Collectors.counting()));
        return counts.toString();
    }

    public void write() {
        ObjectNode json = JSON.createObjectNode().put("seed", seed).put("durationSeconds", durationSeconds).put("rate", rate)
                .put("commandLine", commandLine).put("commit", commit).put("elapsedMillis", elapsedMillis).put("passed", passed()).put("summary", summary());
        ObjectNode faults = json.putObject("faultsInjected");
        faultsInjected.forEach((kind, count) -> faults.put(kind.name(), count));
        ObjectNode counts = JSON.valueToTree(verdict);
        counts.remove("violations");
        counts.remove("phantom202s");
        json.set("counts", counts);
        var schedule = json.putArray("schedule");
        this.schedule.forEach(schedule::add);
        var ran = json.putArray("faultsRun");
        faultsRun.forEach(ran::add);
        var phantoms = json.putArray("phantom202s");
        verdict.phantom202s().forEach(phantoms::add);
        var violations = json.putArray("violations");
        verdict.violations().forEach(v -> violations.add(v.describe()));
        try {
            Files.writeString(directory.resolve("report.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
