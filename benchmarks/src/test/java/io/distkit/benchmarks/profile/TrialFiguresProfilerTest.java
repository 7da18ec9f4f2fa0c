package io.distkit.benchmarks.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distkit.benchmarks.profile.TrialFiguresProfiler.OnceResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A figure reported by one iteration keeps its value through JMH's combinations; the padding that would dilute it
 * (JMH fills the iterations that lack a result with the result's zero) has nothing to pad with.
 */
class TrialFiguresProfilerTest {

  @Test
  void aFigureHasNoZeroForJmhToPadTheOtherIterationsWith() {
    assertThat(new OnceResult("trial.handoff.p99", 900, "us").getZeroResult()).isNull();
  }

  @Test
  void combiningOneIterationsThreadsKeepsTheFigureAndItsKind() {
    OnceResult combined = new OnceResult("trial.handoff.p99", 900, "us").getThreadAggregator()
        .aggregate(List.of(new OnceResult("trial.handoff.p99", 900, "us")));
    assertThat(combined.getScore()).isEqualTo(900);
    assertThat(combined.getZeroResult()).isNull();
    assertThat(combined.getLabel()).isEqualTo("trial.handoff.p99");
    assertThat(combined.getScoreUnit()).isEqualTo("us");
  }

  @Test
  void forksAreAveraged() {
    OnceResult a = new OnceResult("trial.handoff.p99", 900, "us");
    OnceResult b = new OnceResult("trial.handoff.p99", 1100, "us");
    OnceResult forks = a.getIterationAggregator().aggregate(List.of(a, b));
    assertThat(forks.getScore()).isCloseTo(1000, within(1e-9));
    assertThat(forks.getSampleCount()).isEqualTo(2);
    OnceResult again = forks.getIterationAggregator().aggregate(List.of(forks, new OnceResult("x", 1000, "us")));
    assertThat(again.getSampleCount()).isEqualTo(3);
    assertThat(again.getScore()).isCloseTo(1000, within(1e-9));
  }
}
