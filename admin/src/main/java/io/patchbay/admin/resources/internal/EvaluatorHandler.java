package io.patchbay.admin.resources.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.resources.ResourceKind;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.automation.EvaluatorRepository;
import tools.jackson.databind.node.ObjectNode;

/** Evaluators, in the shape of an automation's {@code evaluator_details}: {@code id, evaluator_slug, name, eval_class}. */
public final class EvaluatorHandler implements KindHandler {

    private final EvaluatorRepository evaluators = new EvaluatorRepository();

    @Override
    public ResourceKind kind() {
        return ResourceKind.EVALUATOR;
    }

    @Override
    public Set<String> members() {
        return Set.of("kind", "team", "id", "evaluator_slug", "name", "eval_class");
    }

    @Override
    public Candidate read(Handle handle, LineReader reader, String team, Instant now) {
        String id = Tables.id(reader);
        String slug = Tables.slug(reader, "evaluator_slug");
        String name = Tables.respanName(reader);
        String evalClass = reader.string("eval_class", "");
        Tables.text(reader, "eval_class", evalClass);
        return reader.hasErrors() ? null : new Candidate(team, id, slug, new EvaluatorRef(id, name, slug, evalClass));
    }

    @Override
    public String table() {
        return "evaluator";
    }

    @Override
    public List<String> differences(Handle handle, Candidate candidate) {
        EvaluatorRef stored = evaluators.findAll(handle, List.of(candidate.id())).get(candidate.id()).evaluator();
        EvaluatorRef wanted = (EvaluatorRef) candidate.state();
        return Tables.differing(List.of("evaluator_slug", "name", "eval_class"),
                List.of(stored.getSlug(), stored.getName(), stored.getEvalClass()),
                List.of(wanted.getSlug(), wanted.getName(), wanted.getEvalClass()));
    }

    @Override
    public void insert(Handle handle, Candidate candidate) {
        evaluators.insert(handle, candidate.team(), (EvaluatorRef) candidate.state());
    }

    @Override
    public List<ObjectNode> export(Handle handle, String team) {
        return handle.createQuery("select id, slug, name, eval_class from evaluator where team_id = :team order by id")
                .bind("team", team)
                .map((rs, ctx) -> JsonValues.MAPPER.createObjectNode().put("kind", kind().wireName()).put("team", team)
                        .put("id", rs.getString("id")).put("evaluator_slug", rs.getString("slug"))
                        .put("name", rs.getString("name")).put("eval_class", rs.getString("eval_class")))
                .list();
    }
}
