package io.patchbay.admin.teams;

import java.time.Instant;

/**
 * A team, the unit of isolation, with how much it holds.
 *
 * @param apiKeys keys of the team that are neither revoked nor expired
 * @param resources evaluations, evaluators, conditions and automations of the team
 */
public record Team(String id, String name, Instant createdAt, int apiKeys, int resources) {
}
