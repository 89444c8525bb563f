package io.patchbay.bench.growth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.bench.Results;

class JoinUnderLoadTest {

    private static final Instant T0 = Instant.parse("2026-12-06T15:00:00Z");
    private static final JoinUnderLoad.Times TIMES = new JoinUnderLoad.Times(T0.plusSeconds(10), T0.plusSeconds(15),
            T0.plusSeconds(19), T0.plusSeconds(20));

    @Test
    void countsTheMeasuredStepsLateAndUnansweredCommandsAndWhichRebalanceTheyWereDueIn() {
        List<String> csv = new ArrayList<>(List.of("step,index,due_utc,send_lag_us,latency_us,from_send_us,until_produced_us"));
        csv.add(row(1, 0, T0.plusSeconds(12), 900_000));
        csv.add(row(0, 0, T0.plusSeconds(5), 20_000));
        csv.add(row(0, 1, T0.plusSeconds(6), 150_000));
        csv.add(row(0, 2, T0.plusMillis(15_900), 100_000));
        csv.add(row(0, 3, T0.plusMillis(15_999), 100_001));
        csv.add(row(0, 4, T0.plusSeconds(16), -1));
        csv.add(row(0, 5, T0.plusSeconds(19), 400_000));
        csv.add(row(0, 6, T0.plusMillis(20_999), 101_000));
        csv.add(row(0, 7, T0.plusSeconds(21), 101_000));
        csv.add(row(0, 8, T0.plusSeconds(22), 1_000));

        Results.Rebalance r = JoinUnderLoad.measure("assignors", TIMES, csv);

        assertThat(r.assignor()).isEqualTo("assignors");
        assertThat(r.joinSeconds()).isEqualTo(5.0);
        assertThat(r.leaveSeconds()).isEqualTo(1.0);
        assertThat(r.records()).as("the warm-up (step 1) is not measured").isEqualTo(9);
        assertThat(r.delayed()).as("over 100 ms, or unanswered").isEqualTo(6);
        assertThat(r.delayedInJoin()).as("due from the start until a second after the join").isEqualTo(1);
        assertThat(r.delayedInLeave()).as("due from the stop until a second after the leave").isEqualTo(2);
    }

    @Test
    void refusesAStepThatEndedBeforeASecondAfterTheLeave() {
        List<String> csv = List.of("step,index,due_utc,send_lag_us,latency_us,from_send_us,until_produced_us",
                row(0, 0, T0.plusSeconds(5), 20_000), row(0, 1, T0.plusMillis(20_900), 20_000));

        assertThatThrownBy(() -> JoinUnderLoad.measure("assignors", TIMES, csv))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("--latency-seconds");
    }

    private static String row(int step, int index, Instant due, long latencyMicros) {
        return step + "," + index + "," + due + ",0," + latencyMicros + "," + latencyMicros + ",-1";
    }
}
