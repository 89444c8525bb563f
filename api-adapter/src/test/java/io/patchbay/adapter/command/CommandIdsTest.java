package io.patchbay.adapter.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.patchbay.schemas.ResourceType;

/** Command ids the adapter verifies itself (issue 11): UUID v7, bound to a team and a resource type by a MAC. */
class CommandIdsTest {

    private static final Instant AT = Instant.parse("2026-05-04T10:05:12.345Z");
    private final CommandIds ids = new CommandIds(CommandIds.derive("test-secret"));

    @Test
    void aMintedIdIsAUuidV7CarryingItsTimeAndVerifiesForItsTeamWithItsType() {
        for (ResourceType type : ResourceType.values()) {
            String id = ids.mint("team_a", type, AT);

            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(UUID.fromString(id).getMostSignificantBits() >>> 16).isEqualTo(AT.toEpochMilli());
            assertThat(ids.verify(id, "team_a")).contains(new CommandIds.Verified(type, AT));
        }
    }

    @Test
    void anotherTeamsIdAnotherSecretsIdAndAMalformedIdDoNotVerify() {
        String id = ids.mint("team_a", ResourceType.EVALUATION, AT);

        assertThat(ids.verify(id, "team_b")).isEmpty();
        assertThat(new CommandIds(CommandIds.derive("other-secret")).verify(id, "team_a")).isEmpty();
        assertThat(ids.verify(id.toUpperCase(), "team_a")).isEmpty();
        assertThat(ids.verify("nope", "team_a")).isEmpty();
        assertThat(ids.verify(null, "team_a")).isEmpty();
        assertThat(ids.verify(UUID.randomUUID().toString(), "team_a")).isEmpty();
    }

    @Test
    void changingAnyDigitOfAnIdMakesItUnverifiable() {
        String id = ids.mint("team_a", ResourceType.AUTOMATION, AT);
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) == '-') {
                continue;
            }
            char other = id.charAt(i) == '0' ? '1' : '0';
            String forged = id.substring(0, i) + other + id.substring(i + 1);
            assertThat(ids.verify(forged, "team_a")).as(forged).isEmpty();
        }
    }

    @Test
    void idsMintedInTheSameMillisecondDiffer() {
        Set<String> minted = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            minted.add(ids.mint("team_a", ResourceType.EVALUATION, AT));
        }
        assertThat(minted).hasSize(10_000);
    }
}
