package io.patchbay.admin.resources.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.resources.ResourceKind;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.automation.EvaluatorRepository;
import tools.jackson.databind.node.ObjectNode;

/** Conditions, in the shape of an automation's {@code condition}: {@code id, condition_slug, name, condition_type}. */
public final class ConditionHandler implements KindHandler {

    private static final String SELECT = "select id, slug, name, condition_type from condition ";

    private final EvaluatorRepository repository = new EvaluatorRepository();

    @Override
    public ResourceKind kind() {
        return ResourceKind.CONDITION;
    }

    @Override
    public Set<String> members() {
        return Set.of("kind", "team", "id", "condition_slug", "name", "condition_type");
    }

    @Override
    public Candidate read(Handle handle, LineReader reader, String team, Instant now) {
        String id = Tables.id(reader);
        String slug = Tables.slug(reader, "condition_slug");
        String name = Tables.respanName(reader);
        String type = Tables.nonBlank(reader, "condition_type");
        return reader.hasErrors() ? null : new Candidate(team, id, slug, new ConditionRef(id, slug, name, type));
    }

    @Override
    public String table() {
        return "condition";
    }

    @Override
    public List<String> differences(Handle handle, Candidate candidate) {
        ConditionRef stored = handle.createQuery(SELECT + "where id = :id").bind("id", candidate.id())
                .map((rs, ctx) -> new ConditionRef(rs.getString("id"), rs.getString("slug"), rs.getString("name"),
                        rs.getString("condition_type"))).one();
        ConditionRef wanted = (ConditionRef) candidate.state();
        return Tables.differing(List.of("condition_slug", "name", "condition_type"),
                List.of(stored.getSlug(), stored.getName(), stored.getConditionType()),
                List.of(wanted.getSlug(), wanted.getName(), wanted.getConditionType()));
    }

    @Override
    public void insert(Handle handle, Candidate candidate) {
        repository.insertCondition(handle, candidate.team(), (ConditionRef) candidate.state());
    }

    @Override
    public List<ObjectNode> export(Handle handle, String team) {
        return handle.createQuery(SELECT + "where team_id = :team order by id").bind("team", team)
                .map((rs, ctx) -> JsonValues.MAPPER.createObjectNode().put("kind", kind().wireName()).put("team", team)
                        .put("id", rs.getString("id")).put("condition_slug", rs.getString("slug"))
                        .put("name", rs.getString("name")).put("condition_type", rs.getString("condition_type")))
                .list();
    }
}
