package io.patchbay.testing.data;

import java.time.Instant;
import java.util.List;

import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;

/**
 * Resource states with every required field set to a plain default, as builders a test changes only where it
 * matters to it (Debezium's {@code SinkRecordFactory} idea): {@code TestStates.evaluation("e1", TEAM).setName("x")}.
 */
public final class TestStates {

    /** {@code createdAt} and {@code updatedAt} of the states made here unless a test sets them. */
    public static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private TestStates() {
    }

    /**
     * An evaluation of {@code teamId}: "Test evaluation", SxS, Draft, TEAM_ONLY, no share password or requirements,
     * editors can share, version 1, created at {@link #CREATED}.
     */
    public static EvaluationState.Builder evaluation(String id, String teamId) {
        return EvaluationState.newBuilder()
                .setId(id).setTeamId(teamId).setName("Test evaluation").setDescription(null)
                .setType(EvaluationType.SxS).setStatus(EvaluationStatus.Draft)
                .setShareAccess(ShareAccess.TEAM_ONLY).setSharePasswordSet(false)
                .setShareRequireEmail(false).setShareRequireName(false).setShareAllowAnon(false)
                .setAllowMultipleRatings(false).setEditorsCanShare(true)
                .setCreatedAt(CREATED).setUpdatedAt(CREATED).setVersion(1L);
    }

    /**
     * An automation of {@code teamId} named by {@code slug}: "Monitor", online_eval, enabled, no evaluators, sampling
     * rate 0.5, no other configuration, version 1, created at {@link #CREATED}.
     */
    public static AutomationState.Builder automation(String id, String teamId, String slug) {
        return AutomationState.newBuilder()
                .setId(id).setTeamId(teamId).setSlug(slug).setName("Monitor").setAutomationType("online_eval")
                .setEvaluatorIds(List.of()).setEvaluatorDetails(List.of()).setIsEnabled(true)
                .setConfiguration(new AutomationConfiguration(0.5, List.of()))
                .setCreatedAt(CREATED).setUpdatedAt(CREATED).setVersion(1L);
    }
}
