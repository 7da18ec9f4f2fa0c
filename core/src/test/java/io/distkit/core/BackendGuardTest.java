package io.distkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BackendGuardTest {

  private final ManualClock clock = new ManualClock();
  private final List<String> events = new ArrayList<>();
  private final BackendGuard guard = BackendGuard.builder()
      .name("test-redis")
      .retryInterval(Duration.ofMillis(200))
      .clock(clock)
      .listener(new BackendGuard.Listener() {
        @Override
        public void onOutage(String backend, Throwable cause) {
          events.add("outage " + backend + ": " + cause.getMessage());
        }

        @Override
        public void onRecovery(String backend, Duration outage) {
          events.add("recovery " + backend + " after " + outage.toMillis() + " ms");
        }
      })
      .build();

  private static final BackendUnavailableException DOWN = new BackendUnavailableException("connection refused", null);

  private static String fail() {
    throw DOWN;
  }

  @Test
  void passesResultsAndOtherExceptionsThroughWhileUp() {
    assertThat(guard.call(() -> "ok")).isEqualTo("ok");
    assertThatThrownBy(() -> guard.call(() -> {
      throw new DistkitException("WRONGTYPE");
    })).hasMessage("WRONGTYPE");
    assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
    assertThat(guard.stats().failures()).isZero();
  }

  @Test
  void oneFailureMakesLaterCallsFailFastWithoutRunningTheOperation() {
    assertThatThrownBy(() -> guard.call(BackendGuardTest::fail)).isSameAs(DOWN);
    assertThat(guard.state()).isEqualTo(BackendGuard.State.DOWN);

    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> guard.call(ran::incrementAndGet))
          .isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
            assertThat(e.isFailFast()).isTrue();
            assertThat(e).hasMessageContaining("test-redis is unavailable").hasMessageContaining("connection refused");
            assertThat(e.getCause()).isSameAs(DOWN);
            assertThat(e.getStackTrace()).isEmpty();
          });
    }
    assertThat(ran).hasValue(0);
    assertThat(guard.stats()).isEqualTo(new BackendGuard.Stats(BackendGuard.State.DOWN, 1, 100, 0, 1, 0));
    assertThat(events).containsExactly("outage test-redis: connection refused");
  }

  @Test
  void aSuccessfulProbeAfterTheRetryIntervalEndsTheOutage() {
    assertThatThrownBy(() -> guard.call(BackendGuardTest::fail)).isSameAs(DOWN);
    clock.advance(Duration.ofMillis(199));
    assertThatThrownBy(() -> guard.call(() -> "not yet"))
        .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.isFailFast()).isTrue());

    clock.advance(Duration.ofMillis(1));
    assertThat(guard.call(() -> "back")).isEqualTo("back");
    assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
    assertThat(guard.call(() -> "again")).isEqualTo("again");
    assertThat(events).containsExactly("outage test-redis: connection refused", "recovery test-redis after 200 ms");
    assertThat(guard.stats().probes()).isEqualTo(1);
  }

  @Test
  void aFailedProbeExtendsTheOutageByAnotherInterval() {
    assertThatThrownBy(() -> guard.call(BackendGuardTest::fail)).isSameAs(DOWN);
    clock.advance(Duration.ofMillis(200));
    assertThatThrownBy(() -> guard.call(BackendGuardTest::fail)).isSameAs(DOWN);
    clock.advance(Duration.ofMillis(150));
    assertThatThrownBy(() -> guard.call(() -> "too early"))
        .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.isFailFast()).isTrue());
    clock.advance(Duration.ofMillis(50));
    assertThat(guard.call(() -> "back")).isEqualTo("back");
    assertThat(events).containsExactly("outage test-redis: connection refused", "recovery test-redis after 400 ms");
    assertThat(guard.stats().outages()).isEqualTo(1);
  }

  @Test
  void aProbeAnsweredWithAnErrorStillMeansTheBackendIsBack() {
    assertThatThrownBy(() -> guard.call(BackendGuardTest::fail)).isSameAs(DOWN);
    clock.advance(Duration.ofMillis(200));
    assertThatThrownBy(() -> guard.call(() -> {
      throw new DistkitException("ERR script error");
    })).hasMessage("ERR script error");
    assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
  }

  @Test
  void onlyOneProbeRunsAtATime() throws Exception {
    assertThatThrownBy(() -> guard.call(BackendGuardTest::fail)).isSameAs(DOWN);
    clock.advance(Duration.ofMillis(200));

    CountDownLatch probeRunning = new CountDownLatch(1);
    CountDownLatch releaseProbe = new CountDownLatch(1);
    AtomicInteger operationsRun = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      Future<String> probe = pool.submit(() -> guard.call(() -> {
        operationsRun.incrementAndGet();
        probeRunning.countDown();
        await(releaseProbe);
        return "probe answered";
      }));
      assertThat(probeRunning.await(10, TimeUnit.SECONDS)).isTrue();

      List<Future<?>> others = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        others.add(pool.submit(() -> guard.call(operationsRun::incrementAndGet)));
      }
      for (Future<?> other : others) {
        assertThatThrownBy(other::get).hasCauseInstanceOf(BackendUnavailableException.class);
      }
      assertThat(operationsRun).as("only the probe ran while it was in flight").hasValue(1);

      releaseProbe.countDown();
      assertThat(probe.get(10, TimeUnit.SECONDS)).isEqualTo("probe answered");
      assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheCall() {
    BackendGuard noisy = BackendGuard.builder()
        .clock(clock)
        .listener(new BackendGuard.Listener() {
          @Override
          public void onOutage(String backend, Throwable cause) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onRecovery(String backend, Duration outage) {
            throw new IllegalStateException("listener bug");
          }
        })
        .build();
    assertThatThrownBy(() -> noisy.call(BackendGuardTest::fail)).isSameAs(DOWN);
    clock.advance(BackendGuard.DEFAULT_RETRY_INTERVAL);
    assertThat(noisy.call(() -> "fine")).isEqualTo("fine");
  }

  @Test
  void slowAnswersInARowAboveTheThresholdBecomeAnOutageThatOnlyAFastProbeEnds() {
    BackendGuard slowAware = BackendGuard.builder()
        .name("slow-redis")
        .retryInterval(Duration.ofMillis(200))
        .clock(clock)
        .slowCallThreshold(Duration.ofMillis(50), 2)
        .build();
    Supplier<String> slow = () -> {
      clock.advance(Duration.ofMillis(80));
      return "late";
    };
    Supplier<String> fast = () -> {
      clock.advance(Duration.ofMillis(5));
      return "quick";
    };
    assertThat(slowAware.call(slow)).isEqualTo("late");
    assertThat(slowAware.call(fast)).isEqualTo("quick"); // resets the run of slow calls
    assertThat(slowAware.call(slow)).isEqualTo("late");
    assertThat(slowAware.state()).isEqualTo(BackendGuard.State.UP);
    assertThat(slowAware.call(slow)).as("the slow answer is still returned").isEqualTo("late");
    assertThat(slowAware.state()).isEqualTo(BackendGuard.State.DOWN);
    assertThatThrownBy(() -> slowAware.call(fast)).isInstanceOfSatisfying(BackendUnavailableException.class,
        e -> assertThat(e.getMessage()).contains("slow-redis", "2 calls in a row in 50 ms or more"));

    clock.advance(Duration.ofMillis(200));
    assertThat(slowAware.call(slow)).as("a slow probe answers but extends the outage").isEqualTo("late");
    assertThat(slowAware.state()).isEqualTo(BackendGuard.State.DOWN);
    clock.advance(Duration.ofMillis(200));
    assertThat(slowAware.call(fast)).isEqualTo("quick");
    assertThat(slowAware.state()).isEqualTo(BackendGuard.State.UP);
    assertThat(slowAware.stats().slowCalls()).isEqualTo(4);
    assertThat(slowAware.stats().outages()).isEqualTo(1);
  }

  @Test
  void withoutAThresholdASlowAnswerIsAnAnswer() {
    assertThat(guard.call(() -> {
      clock.advance(Duration.ofSeconds(30));
      return "eventually";
    })).isEqualTo("eventually");
    assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
    assertThat(guard.stats().slowCalls()).isZero();
  }

  @Test
  void builderRejectsBadSettingsNamingTheValue() {
    assertThatThrownBy(() -> BackendGuard.builder().retryInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryInterval (PT0S) must be positive");
    assertThatThrownBy(() -> BackendGuard.builder().retryInterval(Duration.ofSeconds(-1)))
        .hasMessage("retryInterval (PT-1S) must be positive");
    assertThatThrownBy(() -> BackendGuard.builder().name(" "))
        .hasMessage("name (' ') must not be blank");
    assertThatThrownBy(() -> BackendGuard.builder().slowCallThreshold(Duration.ofMillis(10), 0))
        .hasMessage("inARow (0) must be positive");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
