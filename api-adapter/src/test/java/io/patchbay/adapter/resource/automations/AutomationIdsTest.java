package io.patchbay.adapter.resource.automations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class AutomationIdsTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<String> lookups = new ArrayList<>();
    private final Map<String, String> table = Map.of("team_a/aut_1", "aut_1", "team_a/quality", "aut_1");
    private final AutomationIds ids = new AutomationIds((team, key) -> {
        lookups.add(team + "/" + key);
        return Optional.ofNullable(table.get(team + "/" + key));
    }, Duration.ofMinutes(10), nanos::get);

    @Test
    void aFoundIdOrSlugIsLookedUpOncePerTeam() {
        assertThat(ids.resolve("team_a", "quality")).contains("aut_1");
        assertThat(ids.resolve("team_a", "quality")).contains("aut_1");
        assertThat(ids.resolve("team_a", "aut_1")).contains("aut_1");
        assertThat(ids.resolve("team_a", "aut_1")).contains("aut_1");
        assertThat(ids.resolve("team_b", "quality")).isEmpty();

        assertThat(lookups).containsExactly("team_a/quality", "team_a/aut_1", "team_b/quality");
    }

    @Test
    void anIdentifierThatResolvesToNothingIsAskedForEveryTime() {
        assertThat(ids.resolve("team_a", "unknown")).isEmpty();
        assertThat(ids.resolve("team_a", "unknown")).isEmpty();

        assertThat(lookups).containsExactly("team_a/unknown", "team_a/unknown");
    }

    @Test
    void aSlugIsLookedUpAgainAfterItsTimeToBeRemembered() {
        ids.resolve("team_a", "quality");
        nanos.addAndGet(Duration.ofMinutes(10).plusSeconds(1).toNanos());
        ids.resolve("team_a", "quality");

        assertThat(lookups).containsExactly("team_a/quality", "team_a/quality");
    }

    @Test
    void anIdThatResolvedToItselfIsRememberedBeyondTheSlugsTime() {
        ids.resolve("team_a", "aut_1");
        nanos.addAndGet(Duration.ofHours(24).toNanos());

        assertThat(ids.resolve("team_a", "aut_1")).contains("aut_1");
        assertThat(lookups).containsExactly("team_a/aut_1");
    }

    @Test
    void aRememberedIdIsNotLookedUpAndOnlyForItsTeam() {
        ids.remember("team_a", "aut_1");

        assertThat(ids.resolve("team_a", "aut_1")).contains("aut_1");
        assertThat(ids.resolve("team_b", "aut_1")).isEmpty();
        assertThat(lookups).containsExactly("team_b/aut_1");
    }

    @Test
    void aRememberedIdWinsOverASlugOfTheSameValue() {
        ids.resolve("team_a", "quality");
        // an automation created later whose id is the slug resolved above: id first (api-contract §4.1)
        ids.remember("team_a", "quality");

        assertThat(ids.resolve("team_a", "quality")).contains("quality");
    }
}
