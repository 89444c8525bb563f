package io.patchbay.admin.resources;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did, line by line, and whether it was written. An import is all or nothing: a single failed line
 * means nothing was written.
 *
 * @param committed whether the lines were written (false after a failure, and for a dry run)
 */
public record ImportReport(List<LineResult> lines, boolean committed) {

    /** What happened to one line. */
    public enum Status { CREATED, UNCHANGED, FAILED }

    /**
     * One line's outcome.
     *
     * @param kind null when the line did not say (or said something unknown)
     * @param state the typed resource read from the line ({@code EvaluationState}, {@code AutomationState},
     *     {@code EvaluatorRef}, {@code ConditionRef}); null for a failed line
     * @param errors {@code field: message} items, empty unless failed
     */
    public record LineResult(SourceLine line, ResourceKind kind, String team, String id, Status status, List<String> errors,
                             Object state) {

        /** {@code file:line: kind id: error; error} for a failed line, {@code file:line: kind id created} otherwise. */
        public String describe() {
            String what = (kind == null ? "line" : kind.wireName()) + (id == null ? "" : " " + id);
            String where = line.source() + ":" + line.number() + ": " + what;
            return status == Status.FAILED ? where + ": " + String.join("; ", errors)
                    : where + " " + status.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public List<LineResult> failures() {
        return lines.stream().filter(l -> l.status() == Status.FAILED).toList();
    }

    public boolean ok() {
        return failures().isEmpty();
    }

    /** Lines per status. */
    public Map<Status, Integer> counts() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            counts.put(status, 0);
        }
        lines.forEach(l -> counts.merge(l.status(), 1, Integer::sum));
        return counts;
    }

    /** One line for the operator: how many lines were created, unchanged and failed, and whether it was written. */
    public String summary() {
        Map<Status, Integer> counts = counts();
        String tally = lines.size() + " line(s): " + counts.get(Status.CREATED) + " created, " + counts.get(Status.UNCHANGED)
                + " unchanged, " + counts.get(Status.FAILED) + " failed";
        if (!ok()) {
            return tally + "; nothing was written";
        }
        return tally + (committed ? "; written" : "; dry run, nothing was written");
    }
}
