package io.patchbay.devstack;

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
import io.patchbay.store.auth.ApiKeyHasher;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.team.TeamRepository;

/**
 * Demo data: two teams, so that isolation can be tried at once. Team {@code team_acme} has a key per role
 * plus a read-only key; both teams have evaluations in every status, evaluators, a condition and automations.
 * Key secrets are fixed so that the printed curl commands keep working with {@code --keep-data}.
 */
public final class DemoData {

    /** A demo API key. */
    public record Key(String token, String keyId, String teamId, String role, List<String> scopes) {
    }

    /** A demo resource. */
    public record Resource(String type, String id, String slug, String teamId, String note) {
    }

    /** Everything seeded. */
    public record Facts(List<Key> keys, List<Resource> resources) {

        public Key key(String keyId) {
            return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst().orElseThrow();
        }
    }

    public static final String ACME = "team_acme";
    public static final String GLOBEX = "team_globex";
    private static final List<String> ALL_SCOPES = List.of("evaluations:*", "automations:*");

    private DemoData() {
    }

    /** Seeds unless already seeded, and returns the facts either way; API keys are hashed with {@code apiKeys}. */
    public static Facts seed(Jdbi jdbi, ApiKeyHasher apiKeys) {
        Facts facts = facts();
        boolean seeded = jdbi.withHandle(h -> h.createQuery("select count(*) from team where id = :id").bind("id", ACME)
                .mapTo(Integer.class).one()) > 0;
        if (!seeded) {
            jdbi.useTransaction(h -> insert(h, facts, apiKeys));
        }
        return facts;
    }

    private static Facts facts() {
        List<Key> keys = new ArrayList<>();
        for (String role : List.of("viewer", "editor", "admin", "owner")) {
            keys.add(key("acme_" + role, ACME, role, ALL_SCOPES));
        }
        keys.add(key("acme_readonly", ACME, "editor", List.of("evaluations:read", "automations:read")));
        keys.add(key("globex_owner", GLOBEX, "owner", List.of("*")));
        List<Resource> resources = new ArrayList<>();
        for (String team : List.of(ACME, GLOBEX)) {
            String t = team.substring(5);
            for (EvaluationStatus status : EvaluationStatus.values()) {
                resources.add(new Resource("evaluation", "eval_" + t + "_" + status.name().toLowerCase(), null, team,
                        status.name()));
            }
            for (String e : List.of("relevance", "toxicity", "quality")) {
                resources.add(new Resource("evaluator", "evl_" + t + "_" + e, e, team, ""));
            }
            resources.add(new Resource("condition", "cond_" + t + "_success", "success_logs", team, ""));
            resources.add(new Resource("automation", "auto_" + t + "_quality", "prod_quality_monitor", team, "enabled"));
            resources.add(new Resource("automation", "auto_" + t + "_safety", "safety_monitor", team, "disabled"));
        }
        return new Facts(keys, resources);
    }

    private static Key key(String keyId, String team, String role, List<String> scopes) {
        return new Key("pb." + keyId + ".devstack-" + keyId.replace('_', '-') + "-secret", keyId, team, role, scopes);
    }

    private static void insert(org.jdbi.v3.core.Handle h, Facts facts, ApiKeyHasher apiKeys) {
        TeamRepository teams = new TeamRepository();
        teams.insert(h, ACME, "Acme (demo)");
        teams.insert(h, GLOBEX, "Globex (demo)");
        ApiKeyRepository keys = new ApiKeyRepository();
        for (Key key : facts.keys()) {
            String secret = key.token().substring(key.token().lastIndexOf('.') + 1);
            keys.insert(h, ApiKeys.withSecret(apiKeys, key.keyId(), secret, key.teamId(), key.role(), key.scopes()).record(), "demo");
        }
        Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS);
        EvaluationRepository evaluations = new EvaluationRepository();
        EvaluatorRepository evaluators = new EvaluatorRepository();
        AutomationRepository automations = new AutomationRepository();
        for (Resource r : facts.resources()) {
            switch (r.type()) {
                case "evaluation" -> evaluations.insert(h, new StoredEvaluation(evaluation(r, created), null));
                case "evaluator" -> evaluators.insert(h, r.teamId(), new EvaluatorRef(r.id(),
                        Character.toUpperCase(r.slug().charAt(0)) + r.slug().substring(1), r.slug(),
                        r.slug().equals("relevance") ? "respan_custom_evaluator" : ""));
                case "condition" -> evaluators.insertCondition(h, r.teamId(),
                        new ConditionRef(r.id(), r.slug(), "Successful requests", "single_log"));
                default -> {
                }
            }
        }
        for (Resource r : facts.resources()) {
            if (r.type().equals("automation")) {
                String t = r.teamId().substring(5);
                automations.insert(h, AutomationState.newBuilder()
                        .setId(r.id()).setTeamId(r.teamId()).setSlug(r.slug())
                        .setName(r.slug().equals("safety_monitor") ? "Safety monitor" : "Production quality monitor")
                        .setAutomationType("online_eval")
                        .setEvaluatorIds(List.of("evl_" + t + "_relevance", "evl_" + t + "_toxicity"))
                        .setEvaluatorDetails(List.of())
                        .setIsEnabled(r.note().equals("enabled"))
                        .setConfiguration(new AutomationConfiguration(0.1, List.of()))
                        .setCreatedAt(created).setUpdatedAt(created).setVersion(1L)
                        .build(), "cond_" + t + "_success");
            }
        }
    }

    private static EvaluationState evaluation(Resource r, Instant created) {
        return EvaluationState.newBuilder()
                .setId(r.id()).setTeamId(r.teamId())
                .setName("Checkout flow (" + r.note() + ")").setDescription(null)
                .setType(EvaluationType.SxS).setStatus(EvaluationStatus.valueOf(r.note()))
                .setShareAccess(ShareAccess.TEAM_ONLY).setSharePasswordSet(false)
                .setShareRequireEmail(false).setShareRequireName(false).setShareAllowAnon(false)
                .setAllowMultipleRatings(false).setEditorsCanShare(true)
                .setCreatedAt(created).setUpdatedAt(created).setVersion(1L)
                .build();
    }
}
