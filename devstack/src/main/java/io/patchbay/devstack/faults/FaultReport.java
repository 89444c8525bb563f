package io.patchbay.devstack.faults;

import java.util.List;

/**
 * What a fault run proved. {@code lost} and {@code appliedTwice} must be 0 and {@code violations} empty;
 * duplicated change events are allowed (at-least-once) and counted.
 *
 * @param sent records and HTTP requests sent (duplicates, replays and retries included)
 * @param accepted distinct commands that were accepted (acknowledged by Kafka, or answered 200/202 over HTTP)
 * @param applied accepted commands APPLIED
 * @param rejected accepted commands REJECTED with a reason
 * @param lost accepted commands without a recorded outcome, a published result, or (when applied) their change
 * @param appliedTwice commands that changed their resource more than once
 * @param recovered decided commands whose outcome was first published well after their transaction committed: the
 *     fault struck between the database commit and the offset commit, and redelivery published the stored outcome
 * @param eventsDuplicated change-event records beyond the first per (resource, version): re-publishes
 * @param resultsDuplicated result records beyond the first per command (re-publishes and answers to duplicates)
 * @param deadLetters records on the dead-letter topics (0 in fault runs: every command here is decodable)
 * @param httpAccepted202 HTTP requests answered 202 because the outcome came later than the wait budget
 * @param violations every broken guarantee, one line each
 */
public record FaultReport(String fault, int sent, int accepted, int applied, int rejected, int lost, int appliedTwice,
                          int recovered, int eventsDuplicated, int resultsDuplicated, int deadLetters, int httpAccepted202,
                          long elapsedMillis, String faultsInjected, List<String> violations) {

    /** The one-line summary every run prints. */
    public String summary() {
        return String.format("FAULT %-14s sent=%d accepted=%d applied=%d rejected=%d lost=%d appliedTwice=%d"
                        + " recovered=%d eventsDuplicated=%d resultsDuplicated=%d deadLetters=%d http202=%d violations=%d"
                        + " elapsed=%.1fs faults=[%s]", fault, sent, accepted, applied, rejected, lost, appliedTwice,
                recovered, eventsDuplicated, resultsDuplicated, deadLetters, httpAccepted202, violations.size(),
                elapsedMillis / 1000.0, faultsInjected);
    }

    /** The same report with more violations. */
    public FaultReport withViolations(List<String> more) {
        List<String> all = new java.util.ArrayList<>(violations);
        all.addAll(more);
        return new FaultReport(fault, sent, accepted, applied, rejected, lost, appliedTwice, recovered, eventsDuplicated,
                resultsDuplicated, deadLetters, httpAccepted202, elapsedMillis, faultsInjected, List.copyOf(all));
    }

    /** The summary and the first violations, for an assertion message. */
    public String details() {
        StringBuilder text = new StringBuilder(summary());
        violations.stream().limit(30).forEach(v -> text.append("\n  ").append(v));
        if (violations.size() > 30) {
            text.append("\n  ... and ").append(violations.size() - 30).append(" more");
        }
        return text.toString();
    }
}
