/**
 * One home per rule: what a patch may change and who may change it, applied by the adapter (to refuse early) and by
 * the processor (to every command, whoever wrote it). {@link io.patchbay.schemas.rules.EvaluationRules},
 * {@link io.patchbay.schemas.rules.AutomationRules}, API key scopes in {@link io.patchbay.schemas.rules.Scopes}, roles
 * in {@link io.patchbay.schemas.rules.Role}; each rule returns a {@link io.patchbay.schemas.rules.Decision}.
 */
package io.patchbay.schemas.rules;
