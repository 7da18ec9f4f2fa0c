package io.distkit.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final long MS = 1_000_000L;
  private final Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));

  @Test
  void baseDelaysDoubleUpToTheCap() {
    assertThat(backoff.baseDelayNanos(1)).isEqualTo(100 * MS);
    assertThat(backoff.baseDelayNanos(2)).isEqualTo(200 * MS);
    assertThat(backoff.baseDelayNanos(4)).isEqualTo(800 * MS);
    assertThat(backoff.baseDelayNanos(5)).isEqualTo(1000 * MS);
    assertThat(backoff.baseDelayNanos(Integer.MAX_VALUE)).as("no overflow").isEqualTo(1000 * MS);
  }

  @Test
  void jitterDrawsFromItsRange() {
    assertThat(backoff.delayNanos(2, () -> 0.0)).as("equal jitter: at least half").isEqualTo(100 * MS);
    assertThat(backoff.delayNanos(2, () -> 0.999_999)).isBetween(199 * MS, 200 * MS);
    Backoff full = backoff.withJitter(Backoff.Jitter.FULL);
    assertThat(full.delayNanos(2, () -> 0.0)).isZero();
    assertThat(full.delayNanos(2, () -> 0.5)).isEqualTo(100 * MS);
    assertThat(backoff.withJitter(Backoff.Jitter.NONE).delayNanos(3, () -> 0.3)).isEqualTo(400 * MS);
    for (int attempt = 1; attempt < 20; attempt++) {
      assertThat(backoff.delayNanos(attempt)).isBetween(backoff.baseDelayNanos(attempt) / 2,
          backoff.baseDelayNanos(attempt));
    }
  }

  @Test
  void otherMultipliersAndFixedDelays() {
    Backoff triple = backoff.withMultiplier(3).withJitter(Backoff.Jitter.NONE);
    assertThat(triple.delayNanos(3)).isEqualTo(900 * MS);
    assertThat(Backoff.fixed(Duration.ofMillis(250)).delayNanos(7)).isEqualTo(250 * MS);
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("cap (PT1S) must be at least initial (PT2S)");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("initial (PT0S) must be positive");
    assertThatThrownBy(() -> backoff.withMultiplier(0.5)).hasMessage("multiplier (0.5) must be a finite number >= 1.0");
    assertThatThrownBy(() -> backoff.withMultiplier(Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> backoff.delayNanos(0)).hasMessage("attempt (0) must be positive");
  }
}
