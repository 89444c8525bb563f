package io.patchbay.store.evaluation;

import io.patchbay.schemas.EvaluationState;

/** An evaluation row: its public state and the share password hash that never leaves the database. */
public record StoredEvaluation(EvaluationState state, String sharePasswordHash) {
}
