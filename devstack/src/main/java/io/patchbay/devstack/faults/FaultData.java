package io.patchbay.devstack.faults;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.team.TeamRepository;

/**
 * The fault harness's own team: an editor key and many resources of both types, every one at version 1.
 * Evaluations start {@code Running}, so that a command asking for {@code Draft} is always refused.
 */
public final class FaultData {

    public static final String TEAM = "team_faults";
    public static final String KEY_ID = "faults_editor";
    public static final String TOKEN = "pb." + KEY_ID + ".fault-harness-editor-secret";

    /** What was seeded. */
    public record Seeded(List<String> evaluations, List<String> automations) {
    }

    private FaultData() {
    }

    public static Seeded seed(Jdbi jdbi, int perType) {
        List<String> evaluations = new ArrayList<>();
        List<String> automations = new ArrayList<>();
        for (int i = 0; i < perType; i++) {
            evaluations.add(String.format("eval_f%03d", i));
            automations.add(String.format("auto_f%03d", i));
        }
        Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS);
        jdbi.useTransaction(h -> {
            new TeamRepository().insert(h, TEAM, "Fault harness");
            new ApiKeyRepository().insert(h, ApiKeys.withSecret(KEY_ID, TOKEN.substring(TOKEN.lastIndexOf('.') + 1), TEAM,
                    "editor", List.of(Scopes.EVALUATIONS_ALL, Scopes.AUTOMATIONS_ALL)).record(), "fault harness");
            EvaluatorRepository evaluators = new EvaluatorRepository();
            evaluators.insert(h, TEAM, new EvaluatorRef("evl_f_relevance", "Relevance", "relevance", ""));
            evaluators.insertCondition(h, TEAM, new ConditionRef("cond_f", "all_logs", "All logs", "single_log"));
            EvaluationRepository evaluationRows = new EvaluationRepository();
            for (String id : evaluations) {
                evaluationRows.insert(h, new StoredEvaluation(EvaluationState.newBuilder()
                        .setId(id).setTeamId(TEAM).setName("seeded " + id).setDescription(null)
                        .setType(EvaluationType.SxS).setStatus(EvaluationStatus.Running)
                        .setShareAccess(ShareAccess.TEAM_ONLY).setSharePasswordSet(false)
                        .setShareRequireEmail(false).setShareRequireName(false).setShareAllowAnon(false)
                        .setAllowMultipleRatings(false).setEditorsCanShare(true)
                        .setCreatedAt(created).setUpdatedAt(created).setVersion(1L).build(), null));
            }
            AutomationRepository automationRows = new AutomationRepository();
            for (String id : automations) {
                automationRows.insert(h, AutomationState.newBuilder()
                        .setId(id).setTeamId(TEAM).setSlug("slug_" + id).setName("seeded " + id)
                        .setAutomationType("online_eval").setEvaluatorIds(List.of("evl_f_relevance"))
                        .setEvaluatorDetails(List.of()).setIsEnabled(true)
                        .setConfiguration(new AutomationConfiguration(0.5, List.of()))
                        .setCreatedAt(created).setUpdatedAt(created).setVersion(1L).build(), "cond_f");
            }
        });
        return new Seeded(List.copyOf(evaluations), List.copyOf(automations));
    }
}
