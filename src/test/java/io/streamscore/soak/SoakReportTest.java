package io.streamscore.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamscore.soak.SoakReader.Sample;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakReportTest {
  private static FaultOutcome outcome(FaultKind kind, long injected, long ended, long inFlight) {
    return new FaultOutcome(new FaultSchedule.Fault(1, kind, Duration.ZERO, Duration.ofSeconds(5), 0), injected, ended, inFlight, "", false);
  }

  @Test
  void shouldTakeTheWorstLatencyDuringAndAfterAFaultAndTheTimeUntilLagIsBackUnderTheBound() {
    List<Sample> latencies = List.of(new Sample(500, 100), new Sample(1_500, 900), new Sample(2_500, 4_000), new Sample(30_000, 7_000));
    // lag above the bound until 5 s, under it from then on
    List<Sample> lags = List.of(new Sample(1_000, 200), new Sample(2_000, 5_000), new Sample(4_000, 3_000), new Sample(5_000, 400));
    List<SoakReport.KindRow> rows = SoakReport.byKind(List.of(outcome(FaultKind.BROKER_OUTAGE, 1_000, 2_000, 250)), latencies, lags);
    assertEquals(1, rows.size());
    SoakReport.KindRow row = rows.get(0);
    assertEquals(1, row.injected());
    assertEquals(250, row.maxInFlight());
    assertEquals(900, row.worstLatencyDuring(), "only the sample between injection and undo");
    assertEquals(4_000, row.worstLatencyAfter(), "until the lag was back under the bound, and at least 10 s: not the one at 30 s");
    assertEquals(4_000, row.maxTimeToLagBound(), "from injection (1 s) until the lag was under 1,000 (5 s)");
  }

  @Test
  void shouldCountASkippedFaultApartAndLeaveItOutOfTheFigures() {
    FaultOutcome skipped = new FaultOutcome(new FaultSchedule.Fault(2, FaultKind.BROKER_OUTAGE, Duration.ZERO, Duration.ofSeconds(5), 0),
        1_000, 1_000, 99_999, "skipped", true);
    SoakReport.KindRow row = SoakReport.byKind(List.of(skipped), List.of(), List.of()).get(0);
    assertEquals(0, row.injected());
    assertEquals(1, row.skipped());
    assertEquals(0, row.maxInFlight());
  }

  @Test
  void shouldCountAFaultAfterWhichTheLagNeverCameBackUnderTheBound() {
    List<Sample> lags = List.of(new Sample(3_000, 5_000));
    SoakReport.KindRow row = SoakReport.byKind(List.of(outcome(FaultKind.SIGKILL_AND_RESTART, 1_000, 2_000, 0)), List.of(), lags).get(0);
    assertEquals(1, row.neverRecovered());
    assertEquals(-1, row.maxTimeToLagBound());
  }
}
