package io.patchbay.devstack.campaign.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    private static List<FaultEvent> draw(long seed, Duration duration, Duration gap, Set<FaultKind> kinds) {
        return FaultSchedule.draw(new FaultSchedule.Settings(seed, duration, gap, kinds, SESSION_TIMEOUT,
                Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    @Test
    void aSeedDrawsTheSameScheduleEveryTimeAndAnotherSeedAnother() {
        List<FaultEvent> first = draw(7, Duration.ofMinutes(10), Duration.ofSeconds(20), EnumSet.allOf(FaultKind.class));

        assertThat(draw(7, Duration.ofMinutes(10), Duration.ofSeconds(20), EnumSet.allOf(FaultKind.class))).isEqualTo(first);
        assertThat(draw(8, Duration.ofMinutes(10), Duration.ofSeconds(20), EnumSet.allOf(FaultKind.class))).isNotEqualTo(first);
    }

    @Test
    void faultsStartInsideTheQuietMarginsInOrderAndOverlap() {
        List<FaultEvent> events = draw(3, Duration.ofMinutes(10), Duration.ofSeconds(20), EnumSet.allOf(FaultKind.class));

        assertThat(events).hasSizeGreaterThan(10);
        assertThat(events).allSatisfy(e -> assertThat(e.at()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(590)));
        assertThat(events).isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
        boolean overlap = false;
        for (int i = 1; i < events.size(); i++) {
            overlap |= events.get(i).at().compareTo(events.get(i - 1).at().plus(events.get(i - 1).hold())) < 0;
        }
        assertThat(overlap).as("some fault starts while the one before still holds").isTrue();
    }

    @Test
    void drawsOnlyTheEnabledKindsAndEveryOneOfThemOverALongCampaign() {
        Set<FaultKind> kinds = EnumSet.of(FaultKind.PROCESSOR_PAUSE, FaultKind.NETWORK, FaultKind.BROKER_RESTART);

        List<FaultEvent> events = draw(11, Duration.ofMinutes(60), Duration.ofSeconds(20), kinds);

        assertThat(events).extracting(FaultEvent::kind).containsOnlyElementsOf(kinds).containsAll(kinds);
    }

    @Test
    void aPauseOutlastsTheSessionTimeoutAndANetworkFaultCarriesItsImpairment() {
        List<FaultEvent> events = draw(5, Duration.ofMinutes(60), Duration.ofSeconds(10), EnumSet.allOf(FaultKind.class));

        assertThat(events).filteredOn(e -> e.kind() == FaultKind.PROCESSOR_PAUSE).isNotEmpty()
                .allSatisfy(e -> assertThat(e.hold()).isGreaterThan(SESSION_TIMEOUT));
        assertThat(events).filteredOn(e -> e.kind() == FaultKind.NETWORK).isNotEmpty()
                .allSatisfy(e -> assertThat(e.impairment().latency()).isPositive());
        assertThat(events).filteredOn(e -> e.kind() != FaultKind.NETWORK).allSatisfy(e -> assertThat(e.impairment()).isNull());
    }
}
