package io.distkit.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.BackendListener;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final AtomicBoolean up = new AtomicBoolean(false);
  private final AtomicInteger probes = new AtomicInteger();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final HealthTracker tracker = HealthTracker.builder("shard-a", () -> {
    probes.incrementAndGet();
    if (!up.get()) {
      throw new IllegalStateException("still down");
    }
  })
      .ejectAfter(3)
      .probeBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(400))
          .withJitter(Backoff.Jitter.NONE))
      .scheduler(scheduler)
      .clock(clock)
      .listener(new BackendListener() {
        @Override
        public void onOutage(String backend, Throwable cause) {
          events.add("out " + backend + ": " + cause.getMessage());
        }

        @Override
        public void onRecovery(String backend, Duration outage) {
          events.add("back " + backend + " after " + outage.toMillis() + " ms");
        }
      })
      .build();

  private static final RuntimeException TIMEOUT = new RuntimeException("timeout");

  @Test
  void ejectsOnlyAfterFailuresInARow() {
    tracker.recordFailure(TIMEOUT);
    tracker.recordFailure(TIMEOUT);
    tracker.recordSuccess();
    tracker.recordFailure(TIMEOUT);
    tracker.recordFailure(TIMEOUT);
    assertThat(tracker.isHealthy()).isTrue();
    tracker.recordFailure(TIMEOUT);
    assertThat(tracker.state()).isEqualTo(HealthTracker.State.EJECTED);
    assertThat(events).containsExactly("out shard-a: timeout");
  }

  @Test
  void probesWithBackoffUntilOneSucceedsThenBringsItBack() {
    for (int i = 0; i < 3; i++) {
      tracker.recordFailure(TIMEOUT);
    }
    assertThat(probes).hasValue(0);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(probes).as("first probe after 100 ms").hasValue(1);
    scheduler.advance(Duration.ofMillis(199));
    assertThat(probes).as("second after another 200").hasValue(1);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(probes).hasValue(2);
    scheduler.advance(Duration.ofMillis(400 + 400));
    assertThat(probes).as("capped at 400 ms").hasValue(4);
    up.set(true);
    scheduler.advance(Duration.ofMillis(400));
    assertThat(tracker.isHealthy()).isTrue();
    assertThat(events).containsExactly("out shard-a: timeout", "back shard-a after 1500 ms");
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(probes).as("no probe once healthy").hasValue(5);
    assertThat(tracker.stats()).isEqualTo(new HealthTracker.Stats(HealthTracker.State.HEALTHY, 3, 1, 1, 5));
  }

  @Test
  void aRealCallThatSucceedsBringsItBackAndStopsProbing() {
    for (int i = 0; i < 3; i++) {
      tracker.recordFailure(TIMEOUT);
    }
    clock.advance(Duration.ofMillis(50));
    tracker.recordSuccess();
    assertThat(tracker.isHealthy()).isTrue();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(probes).hasValue(0);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aSuccessKeepingEjectionEndsTheRunOfFailuresButLeavesAnEjectionToTheProbes() {
    tracker.recordFailure(TIMEOUT);
    tracker.recordFailure(TIMEOUT);
    tracker.recordSuccessKeepingEjection();
    tracker.recordFailure(TIMEOUT);
    tracker.recordFailure(TIMEOUT);
    assertThat(tracker.isHealthy()).as("the run restarted").isTrue();
    tracker.recordFailure(TIMEOUT);
    assertThat(tracker.isHealthy()).isFalse();
    tracker.recordSuccessKeepingEjection(); // a call that started before the ejection
    assertThat(tracker.isHealthy()).as("still out").isFalse();
    up.set(true);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(tracker.isHealthy()).as("back by its first probe").isTrue();
  }

  @Test
  void closeStopsProbing() {
    for (int i = 0; i < 3; i++) {
      tracker.recordFailure(TIMEOUT);
    }
    tracker.close();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(probes).hasValue(0);
    assertThat(tracker.isHealthy()).isFalse();
  }
}
