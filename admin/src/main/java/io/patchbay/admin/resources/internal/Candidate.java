package io.patchbay.admin.resources.internal;

/**
 * A line read and checked: the resource it would create.
 *
 * @param slug null for kinds without one (evaluations)
 * @param state the typed resource ({@code EvaluationState}, {@code AutomationState}, {@code EvaluatorRef}, {@code ConditionRef})
 */
public record Candidate(String team, String id, String slug, Object state) {
}
