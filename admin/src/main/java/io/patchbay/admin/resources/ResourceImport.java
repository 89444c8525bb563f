package io.patchbay.admin.resources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import io.patchbay.admin.resources.internal.Candidate;
import io.patchbay.admin.resources.internal.KindHandler;
import io.patchbay.admin.resources.internal.KindHandlers;
import io.patchbay.admin.resources.internal.LineReader;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Imports evaluations, evaluators, conditions and automations from JSON Lines (the format is in the README). Import
 * creates what is missing and never changes what exists: a line whose resource is stored with the same content is
 * {@code unchanged}, so an import can run again; one whose resource is stored with other content fails (changes go
 * through the API, so that they are versioned and published). Lines are applied in order, so a line may refer to
 * resources created by earlier lines.
 *
 * <p>All or nothing: every line is checked, each under its own savepoint so that a refusal by the database is reported
 * for its line too, and the whole input is written in one transaction only if no line failed.
 */
public final class ResourceImport {

    private final Map<ResourceKind, KindHandler> handlers = KindHandlers.all();

    /**
     * Checks and applies {@code lines} in one transaction, committed only when every line succeeds and this is not a
     * dry run.
     */
    public ImportReport run(Jdbi jdbi, List<SourceLine> lines, boolean dryRun, Instant now) {
        try (Handle handle = jdbi.open()) {
            handle.begin();
            ImportReport applied = apply(handle, lines, now);
            boolean commit = applied.ok() && !dryRun;
            if (commit) {
                handle.commit();
            } else {
                handle.rollback();
            }
            return new ImportReport(applied.lines(), commit);
        }
    }

    /**
     * Checks and applies {@code lines} within the caller's transaction, which must be open on {@code handle}; the caller
     * commits only when the report is {@link ImportReport#ok()}.
     */
    public ImportReport apply(Handle handle, List<SourceLine> lines, Instant now) {
        List<ImportReport.LineResult> results = new ArrayList<>();
        Map<String, Boolean> teams = new HashMap<>();
        for (SourceLine line : lines) {
            String savepoint = "import_line_" + results.size();
            handle.savepoint(savepoint);
            ImportReport.LineResult result;
            try {
                result = applyLine(handle, line, teams, now);
            } catch (JdbiException e) {
                result = new ImportReport.LineResult(line, null, null, null, ImportReport.Status.FAILED,
                        List.of("the database refused it: " + rootMessage(e)), null);
            }
            if (result.status() == ImportReport.Status.FAILED) {
                handle.rollbackToSavepoint(savepoint);
            } else {
                handle.releaseSavepoint(savepoint);
            }
            results.add(result);
        }
        return new ImportReport(results, false);
    }

    private ImportReport.LineResult applyLine(Handle handle, SourceLine line, Map<String, Boolean> teams, Instant now) {
        ObjectNode node;
        try {
            JsonNode parsed = JsonValues.MAPPER.readTree(line.text());
            if (!parsed.isObject()) {
                return failed(line, null, null, null, "not a JSON object");
            }
            node = (ObjectNode) parsed;
        } catch (JacksonException e) {
            return failed(line, null, null, null, "not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode kindNode = node.get("kind");
        Optional<ResourceKind> kind = kindNode != null && kindNode.isString() ? ResourceKind.parse(kindNode.stringValue())
                : Optional.empty();
        String id = node.path("id").isString() ? node.get("id").stringValue() : null;
        JsonNode teamNode = node.get("team");
        String team = teamNode != null && teamNode.isString() ? teamNode.stringValue() : null;
        if (kind.isEmpty()) {
            return failed(line, null, team, id, "kind: must be one of evaluator, condition, automation, evaluation");
        }
        if (team == null) {
            return failed(line, kind.get(), null, id, "team: required (a team id)");
        }
        boolean teamExists = teams.computeIfAbsent(team, t -> handle.createQuery("select count(*) from team where id = :id")
                .bind("id", t).mapTo(Integer.class).one() > 0);
        if (!teamExists) {
            return failed(line, kind.get(), team, id, "team: " + team + " does not exist");
        }
        KindHandler handler = handlers.get(kind.get());
        LineReader reader = new LineReader(node, handler.members());
        Candidate candidate = handler.read(handle, reader, team, now);
        if (reader.hasErrors()) {
            return new ImportReport.LineResult(line, kind.get(), team, id, ImportReport.Status.FAILED,
                    List.copyOf(reader.errors()), null);
        }
        Optional<String> owner = handler.ownerOf(handle, candidate.id());
        if (owner.isPresent()) {
            if (!owner.get().equals(team)) {
                return failed(line, kind.get(), team, id, "id: taken by a " + kind.get().wireName() + " of team " + owner.get());
            }
            List<String> differences = handler.differences(handle, candidate);
            return differences.isEmpty()
                    ? new ImportReport.LineResult(line, kind.get(), team, id, ImportReport.Status.UNCHANGED, List.of(),
                            candidate.state())
                    : failed(line, kind.get(), team, id, "stored with other content (" + String.join(", ", differences)
                            + "); import never changes a resource: change it through the API");
        }
        if (candidate.slug() != null) {
            Optional<String> taken = handler.slugTakenBy(handle, team, candidate.slug(), candidate.id());
            if (taken.isPresent()) {
                return failed(line, kind.get(), team, id, kind.get().wireName() + "_slug: '" + candidate.slug()
                        + "' is taken by " + taken.get());
            }
        }
        List<String> problems = handler.creationProblems(candidate);
        if (!problems.isEmpty()) {
            return new ImportReport.LineResult(line, kind.get(), team, id, ImportReport.Status.FAILED, problems, null);
        }
        handler.insert(handle, candidate);
        return new ImportReport.LineResult(line, kind.get(), team, id, ImportReport.Status.CREATED, List.of(), candidate.state());
    }

    private static ImportReport.LineResult failed(SourceLine line, ResourceKind kind, String team, String id, String error) {
        return new ImportReport.LineResult(line, kind, team, id, ImportReport.Status.FAILED, List.of(error), null);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
