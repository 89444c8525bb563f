package io.patchbay.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonValue;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.store.auth.ApiKeyHasher;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.auth.SecretHasher;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.team.TeamRepository;

/**
 * The benchmark's data set: a few teams, each with an editor, an admin and a viewer key, evaluators and a
 * condition, and {@code resources} resources, half Autousers evaluations (in every status and share mode),
 * half Respan automations. Deterministic: the same size always seeds the same rows.
 */
public final class BenchData {

    public static final int TEAMS = 4;
    public static final int EVALUATORS_PER_TEAM = 6;
    public static final List<String> ROLES = List.of("editor", "admin", "viewer");

    /**
     * The API key pepper ({@code patchbay.api.api-key-pepper}) of every adapter the benchmark starts; the bench keys
     * are hashed with it in the current HMAC format, so an adapter checks each with one HMAC.
     */
    public static final String API_KEY_PEPPER = "bench-only-api-key-pepper";
    private static final List<String> KEY_SCOPES = List.of(Scopes.EVALUATIONS_ALL, Scopes.AUTOMATIONS_ALL);

    /** A seeded API key and its bearer token. */
    public record Key(String keyId, String teamId, String role, String token) {
    }

    private final int evaluations;
    private final int automations;
    private final List<Key> keys = new ArrayList<>();

    public BenchData(int resources) {
        this.evaluations = resources / 2;
        this.automations = resources / 2;
        for (int t = 0; t < TEAMS; t++) {
            for (String role : ROLES) {
                String keyId = "bench_t" + t + "_" + role;
                keys.add(new Key(keyId, team(t), role, "pb." + keyId + ".bench-secret-" + t + "-" + role));
            }
        }
    }

    public int evaluations() {
        return evaluations;
    }

    public int automations() {
        return automations;
    }

    public static String team(int t) {
        return "bteam_" + t;
    }

    public static String evaluationId(int i) {
        return "beval_" + i;
    }

    public static String automationId(int i) {
        return "bauto_" + i;
    }

    public static String automationSlug(int i) {
        return "monitor_" + i;
    }

    /** The team of resource number {@code i} (either type). */
    public static int teamOf(int i) {
        return i % TEAMS;
    }

    public static String evaluatorId(int team, int k) {
        return "bevl_" + team + "_" + k;
    }

    public Key key(int team, String role) {
        return keys.get(team * ROLES.size() + ROLES.indexOf(role));
    }

    public List<Key> keys() {
        return keys;
    }

    /** The team of each editor or admin key, by its {@code Authorization} header value (the baselines' bearer check). */
    public Map<String, String> teamsByAuthorization() {
        Map<String, String> teams = new HashMap<>();
        keys.stream().filter(k -> !k.role().equals("viewer")).forEach(k -> teams.put("Bearer " + k.token(), k.teamId()));
        return teams;
    }

    /** Inserts everything into an empty, migrated database, the API keys in the current HMAC format. */
    public void seed(Jdbi jdbi) {
        seed(jdbi, false);
    }

    /**
     * Inserts everything into an empty, migrated database; the API keys in the legacy PBKDF2 format when
     * {@code legacyKeys} (for an adapter built before the HMAC format, {@code --adapter-jar}), else in the HMAC format
     * with {@link #API_KEY_PEPPER}.
     */
    public void seed(Jdbi jdbi, boolean legacyKeys) {
        ApiKeyHasher hasher = ApiKeyHasher.fromSettings(API_KEY_PEPPER, null);
        Random random = new Random(7);
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        String passwordHash = SecretHasher.hash("bench-share-password", 1_000);
        jdbi.useTransaction(h -> {
            TeamRepository teams = new TeamRepository();
            ApiKeyRepository apiKeys = new ApiKeyRepository();
            EvaluatorRepository evaluators = new EvaluatorRepository();
            for (int t = 0; t < TEAMS; t++) {
                teams.insert(h, team(t), "Bench team " + t);
                for (int k = 0; k < EVALUATORS_PER_TEAM; k++) {
                    evaluators.insert(h, team(t), new EvaluatorRef(evaluatorId(t, k), "Evaluator " + k, "evaluator_" + k,
                            k % 2 == 0 ? "respan_custom_evaluator" : ""));
                }
                evaluators.insertCondition(h, team(t), new ConditionRef(condition(t), "success_logs", "Successful requests",
                        "single_log"));
            }
            for (Key key : keys) {
                String secret = key.token().substring(key.token().lastIndexOf('.') + 1);
                apiKeys.insert(h, legacyKeys ? legacyKey(key, secret)
                        : ApiKeys.withSecret(hasher, key.keyId(), secret, key.teamId(), key.role(), KEY_SCOPES).record(), "bench");
            }
            insertResources(h, random, created, passwordHash);
        });
    }

    /**
     * A key in the legacy PBKDF2 format, which every adapter reads: those built before the HMAC format (measured with
     * {@code --adapter-jar} and {@code --legacy-api-keys}) and current ones, at the cost of a PBKDF2 check.
     */
    static ApiKeyRecord legacyKey(Key key, String secret) {
        return new ApiKeyRecord(key.keyId(), key.teamId(), SecretHasher.hash(secret, SecretHasher.API_KEY_ITERATIONS), key.role(),
                KEY_SCOPES, null, null);
    }

    private void insertResources(Handle h, Random random, Instant created, String passwordHash) {
        EvaluationRepository evaluationRepository = new EvaluationRepository();
        AutomationRepository automationRepository = new AutomationRepository();
        EvaluationStatus[] statuses = {EvaluationStatus.Draft, EvaluationStatus.Draft, EvaluationStatus.Draft,
                EvaluationStatus.Draft, EvaluationStatus.Running, EvaluationStatus.Running, EvaluationStatus.Running,
                EvaluationStatus.Ended, EvaluationStatus.Ended, EvaluationStatus.Archived};
        for (int i = 0; i < evaluations; i++) {
            int t = teamOf(i);
            double share = random.nextDouble();
            ShareAccess access = share < 0.85 ? ShareAccess.TEAM_ONLY
                    : share < 0.95 ? ShareAccess.ANYONE_WITH_LINK : ShareAccess.PASSWORD_PROTECTED;
            EvaluationState state = EvaluationState.newBuilder()
                    .setId(evaluationId(i)).setTeamId(team(t))
                    .setName("Checkout flow " + i).setDescription(random.nextBoolean() ? null : "Seeded evaluation " + i)
                    .setType(random.nextInt(4) == 0 ? EvaluationType.SSE : EvaluationType.SxS)
                    .setStatus(statuses[random.nextInt(statuses.length)])
                    .setShareAccess(access).setSharePasswordSet(access == ShareAccess.PASSWORD_PROTECTED)
                    .setShareRequireEmail(random.nextInt(5) == 0).setShareRequireName(false).setShareAllowAnon(false)
                    .setAllowMultipleRatings(random.nextBoolean()).setEditorsCanShare(random.nextInt(10) != 0)
                    .setCreatedAt(created).setUpdatedAt(created).setVersion(1L)
                    .build();
            evaluationRepository.insert(h, new StoredEvaluation(state,
                    access == ShareAccess.PASSWORD_PROTECTED ? passwordHash : null));
        }
        for (int i = 0; i < automations; i++) {
            int t = teamOf(i);
            int first = random.nextInt(EVALUATORS_PER_TEAM);
            automationRepository.insert(h, AutomationState.newBuilder()
                    .setId(automationId(i)).setTeamId(team(t)).setSlug(automationSlug(i))
                    .setName("Quality monitor " + i).setAutomationType("online_eval")
                    .setEvaluatorIds(List.of(evaluatorId(t, first), evaluatorId(t, (first + 1) % EVALUATORS_PER_TEAM)))
                    .setEvaluatorDetails(List.of())
                    .setIsEnabled(random.nextInt(4) != 0)
                    .setConfiguration(new AutomationConfiguration(0.1, List.of(new JsonMember("alert_threshold",
                            new JsonValue(new JsonNumber(Integer.toString(random.nextInt(10))))))))
                    .setCreatedAt(created).setUpdatedAt(created).setVersion(1L)
                    .build(), condition(t));
        }
    }

    private static String condition(int team) {
        return "bcond_" + team;
    }

    /** Seconds-resolution "now" for generated timestamps. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
