package io.distkit.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Lease#localDeadline}: the one rule for a holder's conservative deadline. */
class LeaseDeadlineTest {

  private static long nanos(Duration duration) {
    return duration.toNanos();
  }

  @Test
  void theDeadlineIsTheLeaseLessOnePercentCountedFromWhenTheRequestWasSent() {
    assertThat(Lease.localDeadline(1_000, nanos(Duration.ofSeconds(10))))
        .isEqualTo(1_000 + nanos(Duration.ofMillis(9_900)));
    assertThat(Lease.localDeadline(0, nanos(Duration.ofSeconds(30)))).isEqualTo(nanos(Duration.ofMillis(29_700)));
  }

  @Test
  void shortLeasesKeepAMarginOfAtLeastTwoMilliseconds() {
    assertThat(Lease.localDeadline(0, nanos(Duration.ofMillis(100)))).isEqualTo(nanos(Duration.ofMillis(98)));
    assertThat(Lease.localDeadline(0, nanos(Duration.ofMillis(200)))).isEqualTo(nanos(Duration.ofMillis(198)));
    assertThat(Lease.localDeadline(0, nanos(Duration.ofMillis(300)))).isEqualTo(nanos(Duration.ofMillis(297)));
  }

  @Test
  void aLeaseNoLongerThanTheMarginIsNeverValid() {
    assertThat(Lease.localDeadline(5, nanos(Duration.ofMillis(2)))).isEqualTo(5);
    assertThat(Lease.localDeadline(5, 1)).isEqualTo(5);
    assertThat(Lease.localDeadline(5, 0)).isEqualTo(5);
  }

  @Test
  void nanoTimeValuesNearTheWrapGiveADeadlineThatComparesBySubtraction() {
    long sent = Long.MAX_VALUE - 1_000;
    long deadline = Lease.localDeadline(sent, nanos(Duration.ofSeconds(1)));
    assertThat(deadline).isNegative(); // wrapped
    assertThat((sent + nanos(Duration.ofMillis(989))) - deadline).isNegative();
    assertThat((sent + nanos(Duration.ofMillis(990))) - deadline).isZero();
  }

  @Test
  void aNegativeTtlIsRefusedWithItsValue() {
    assertThatThrownBy(() -> Lease.localDeadline(0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttlNanos")
        .hasMessageContaining("-1");
  }
}
