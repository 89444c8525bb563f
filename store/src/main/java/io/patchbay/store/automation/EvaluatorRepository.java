package io.patchbay.store.automation;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.EvaluatorRef;

/** Evaluators, the resources a Respan automation runs, and the conditions that select its logs. */
public final class EvaluatorRepository {

    static final String SELECT = "select id, team_id, name, slug, eval_class from evaluator";

    /** The evaluators of {@code teamId} among {@code ids}, in the order of {@code ids}; unknown ids are skipped. */
    public List<EvaluatorRef> findInOrder(Handle handle, String teamId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, EvaluatorRef> found = handle.createQuery(SELECT + " where team_id = :team and id = any(:ids)")
                .bind("team", teamId).bind("ids", ids.toArray(String[]::new))
                .mapTo(TeamEvaluator.class)
                .stream().map(TeamEvaluator::evaluator).collect(Collectors.toMap(EvaluatorRef::getId, Function.identity()));
        return ids.stream().filter(found::containsKey).map(found::get).toList();
    }

    /** An evaluator with the team it belongs to. */
    public record TeamEvaluator(String teamId, EvaluatorRef evaluator) {
    }

    /** The evaluators among {@code ids} of any team, by id, in one query; callers keep only their team's. */
    public Map<String, TeamEvaluator> findAll(Handle handle, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return handle.createQuery(SELECT + " where id = any(:ids)")
                .bind("ids", ids.toArray(String[]::new))
                .mapTo(TeamEvaluator.class)
                .stream().collect(Collectors.toMap(e -> e.evaluator().getId(), Function.identity()));
    }

    public void insert(Handle handle, String teamId, EvaluatorRef evaluator) {
        handle.createUpdate("insert into evaluator (id, team_id, slug, name, eval_class) values (:id, :team, :slug, :name, :cls)")
                .bind("id", evaluator.getId()).bind("team", teamId).bind("slug", evaluator.getSlug())
                .bind("name", evaluator.getName()).bind("cls", evaluator.getEvalClass()).execute();
    }

    public void insertCondition(Handle handle, String teamId, ConditionRef condition) {
        handle.createUpdate("insert into condition (id, team_id, slug, name, condition_type) values (:id, :team, :slug, :name, :type)")
                .bind("id", condition.getId()).bind("team", teamId).bind("slug", condition.getSlug())
                .bind("name", condition.getName()).bind("type", condition.getConditionType()).execute();
    }
}
