package io.distkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClockTest {

  @Test
  void systemClockReadsTheJvmClocks() {
    Clock clock = Clock.system();
    long before = System.currentTimeMillis();
    long wall = clock.epochMillis();
    long after = System.currentTimeMillis();
    assertThat(wall).isBetween(before, after);

    long nanoBefore = System.nanoTime();
    long nanos = clock.nanoTime();
    assertThat(nanos - nanoBefore).isGreaterThanOrEqualTo(0);
    assertThat(clock.nanoTime() - nanos).isGreaterThanOrEqualTo(0);
  }

  @Test
  void manualClockMovesOnlyWhenTold() {
    ManualClock clock = new ManualClock();
    long nanos = clock.nanoTime();
    long wall = clock.epochMillis();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
    assertThat(clock.nanoTime()).isEqualTo(nanos);

    clock.advance(Duration.ofMillis(1500));
    assertThat(clock.nanoTime() - nanos).isEqualTo(1_500_000_000L);
    assertThat(clock.epochMillis() - wall).isEqualTo(1500);

    clock.advance(Duration.ofNanos(999_999));
    assertThat(clock.epochMillis() - wall).as("sub-millisecond progress is not rounded up").isEqualTo(1500);
    clock.advance(Duration.ofNanos(1));
    assertThat(clock.epochMillis() - wall).isEqualTo(1501);
  }

  @Test
  void manualClockWallTimeCanJumpWithoutMovingMonotonicTime() {
    ManualClock clock = new ManualClock(Instant.parse("2030-06-01T12:00:00Z"));
    long nanos = clock.nanoTime();
    clock.jumpWallClock(Duration.ofSeconds(-30));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-06-01T11:59:30Z"));
    assertThat(clock.nanoTime()).isEqualTo(nanos);
  }

  @Test
  void manualClockRefusesToGoBack() {
    ManualClock clock = new ManualClock();
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-0.001S");
  }
}
