package io.patchbay.testing.data;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.auth.ApiKeyRepository;
import io.patchbay.store.auth.ApiKeys;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;

/**
 * Fresh rows for one test, written through the store's repositories, so that tests never share mutable state: each
 * new resource or key gets a unique id. States start from {@link TestStates}.
 */
public final class TestData {

    private final Jdbi jdbi;
    private final EvaluationRepository evaluations = new EvaluationRepository();
    private final AutomationRepository automations = new AutomationRepository();
    private final EvaluatorRepository evaluators = new EvaluatorRepository();
    private final ApiKeyRepository keys = new ApiKeyRepository();

    /** Rows in the database of {@code jdbi}, which must be configured by the store's {@code StorePlugin}. */
    public TestData(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A new evaluation of {@code teamId} with a unique id, the {@link TestStates#evaluation} defaults created an hour
     * ago, then {@code customize}; returns its id.
     */
    public String newEvaluation(String teamId, UnaryOperator<EvaluationState.Builder> customize) {
        return newEvaluation(teamId, customize, null);
    }

    /** A new evaluation of {@code teamId} with the defaults of {@link #newEvaluation(String, UnaryOperator)}. */
    public String newEvaluation(String teamId) {
        return newEvaluation(teamId, b -> b);
    }

    /** As {@link #newEvaluation(String, UnaryOperator)}, with a stored share password hash. */
    public String newEvaluation(String teamId, UnaryOperator<EvaluationState.Builder> customize, String sharePasswordHash) {
        return insertEvaluation("eval_t_" + unique(), teamId, customize, sharePasswordHash);
    }

    /** As {@link #newEvaluation(String, UnaryOperator, String)}, with a chosen id. */
    public String insertEvaluation(String id, String teamId, UnaryOperator<EvaluationState.Builder> customize,
                                   String sharePasswordHash) {
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(1, ChronoUnit.HOURS);
        EvaluationState state = customize.apply(TestStates.evaluation(id, teamId)
                .setSharePasswordSet(sharePasswordHash != null).setCreatedAt(created).setUpdatedAt(created)).build();
        jdbi.useHandle(h -> evaluations.insert(h, new StoredEvaluation(state, sharePasswordHash)));
        return id;
    }

    /** The evaluation row as stored (state and password hash), or empty. */
    public Optional<StoredEvaluation> storedEvaluation(String id) {
        return jdbi.inTransaction(h -> evaluations.lock(h, id));
    }

    /** Inserts {@code state} with {@code conditionId} (may be null) and returns it as the repository reads it back. */
    public AutomationState insertAutomation(AutomationState state, String conditionId) {
        return jdbi.inTransaction(h -> {
            automations.insert(h, state, conditionId);
            return automations.findByIdOrSlug(h, state.getTeamId(), state.getId()).orElseThrow();
        });
    }

    /** The stored automation {@code idOrSlug} of {@code teamId}, as the adapter reads it. */
    public AutomationState automation(String teamId, String idOrSlug) {
        return jdbi.withHandle(h -> automations.findByIdOrSlug(h, teamId, idOrSlug)).orElseThrow();
    }

    /** Inserts evaluator {@code ref} for {@code teamId} unless an evaluator with its id exists. */
    public void ensureEvaluator(String teamId, EvaluatorRef ref) {
        jdbi.useTransaction(h -> {
            if (evaluators.findAll(h, List.of(ref.getId())).isEmpty()) {
                evaluators.insert(h, teamId, ref);
            }
        });
    }

    /**
     * A new API key of {@code teamId}; returns its bearer token.
     *
     * @param expiresAt null for none
     * @param revokedAt null for an active key
     */
    public String newApiKey(String teamId, String role, List<String> scopes, Instant expiresAt, Instant revokedAt) {
        String keyId = "key_t_" + unique().substring(0, 16);
        ApiKeys.Minted minted = ApiKeys.mint(keyId, teamId, role, scopes);
        ApiKeyRecord record = new ApiKeyRecord(keyId, teamId, minted.record().secretHash(), role, scopes, expiresAt, revokedAt);
        jdbi.useHandle(h -> keys.insert(h, record, "test"));
        return minted.token();
    }

    /** A new active API key of {@code teamId} that never expires; returns its bearer token. */
    public String newApiKey(String teamId, String role, String... scopes) {
        return newApiKey(teamId, role, List.of(scopes), null, null);
    }

    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
