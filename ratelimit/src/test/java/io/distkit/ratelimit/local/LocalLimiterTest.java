package io.distkit.ratelimit.local;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.TestKeys;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What only the local limiter does: keeping its map of keys small, and deciding without allocating. */
class LocalLimiterTest {

  private final ManualClock clock = new ManualClock();
  private final String key = TestKeys.unique("user");
  /** Never runs: these tests see the callers' sweep alone, unless they pass a scheduler on the clock. */
  private final ManualScheduler stopped = new ManualScheduler(new ManualClock());

  private LocalLimiter local(RateLimit limit) {
    return local(limit, stopped);
  }

  private LocalLimiter local(RateLimit limit, ManualScheduler scheduler) {
    return (LocalLimiter) LocalRateLimiter.builder().limit(limit).clock(clock).scheduler(scheduler).build();
  }

  /** Time passes second by second, and the scheduler runs what falls due on the way. */
  private void pass(Duration duration) {
    for (long s = 0; s < duration.toSeconds(); s++) {
      clock.advance(ofSeconds(1));
    }
  }

  @Test
  void aLimiterWhoseCallsStopForgetsItsKeysOnItsScheduler() {
    ManualScheduler scheduler = new ManualScheduler(clock);
    LocalLimiter limiter = local(RateLimit.of(Algorithm.TOKEN_BUCKET, 10, ofMinutes(1)), scheduler);
    assertThat(scheduler.pending()).as("nothing to sweep, nothing scheduled").isZero();
    for (int i = 0; i < 100; i++) {
      limiter.tryAcquire(key + i, 10);
    }
    assertThat(scheduler.pending()).as("one step armed, whatever the number of keys").isEqualTo(1);
    pass(ofSeconds(60));
    assertThat(limiter.stats().keys()).as("full again only now, kept for the margin").isEqualTo(100);
    assertThat(limiter.tryAcquire(key + 7).allowed()).as("nothing forgotten early").isTrue();
    pass(ofSeconds(3));
    assertThat(limiter.stats().keys()).as("the key used at 60 s is not fresh yet").isEqualTo(1);
    pass(ofMinutes(1));
    assertThat(limiter.stats().keys()).isZero();
    assertThat(scheduler.pending()).as("an empty limiter schedules nothing").isZero();
    limiter.tryAcquire(key);
    assertThat(scheduler.pending()).as("a new key arms it again").isEqualTo(1);
    assertThat(scheduler.failures()).isEmpty();
  }

  @Test
  void aLimiterNobodyReferencesIsCollectedAndItsSweepsStop() {
    ManualScheduler scheduler = new ManualScheduler(clock);
    LocalLimiter limiter = local(RateLimit.of(Algorithm.GCRA, 1, Duration.ofDays(1)), scheduler);
    limiter.tryAcquire(key); // kept for a day: the sweep re-arms every second
    java.lang.ref.WeakReference<LocalLimiter> ref = new java.lang.ref.WeakReference<>(limiter);
    limiter = null;
    for (int i = 0; i < 100 && (ref.get() != null || scheduler.pending() > 0); i++) {
      System.gc();
      clock.advance(ofSeconds(1));
    }
    assertThat(ref.get()).as("the scheduled sweep holds the limiter weakly").isNull();
    assertThat(scheduler.pending()).as("a collected limiter's sweep ends").isZero();
  }

  @Test
  void forgetsAKeyOnlyOnceItIsSurelyFresh() {
    LocalLimiter limiter = local(RateLimit.of(Algorithm.TOKEN_BUCKET, 10, ofMinutes(1)));
    for (int i = 0; i < 100; i++) {
      limiter.tryAcquire(key + i, 10);
    }
    assertThat(limiter.stats().keys()).isEqualTo(100);
    clock.advance(ofMinutes(1)); // fresh now, but kept for the margin
    limiter.tryAcquire("other");
    limiter.cleanUp();
    assertThat(limiter.stats().keys()).isEqualTo(101);
    clock.advance(ofSeconds(1));
    limiter.cleanUp();
    assertThat(limiter.stats().keys()).as("only the key used a second ago is left").isEqualTo(1);
    assertThat(limiter.tryAcquire(key + 7, 10).allowed()).as("a forgotten key is a fresh key").isTrue();
  }

  @Test
  void aKeyUnderALongerPerCallLimitIsKeptForThatLimit() {
    LocalLimiter limiter = local(RateLimit.of(Algorithm.TOKEN_BUCKET, 10, ofSeconds(1)));
    RateLimit daily = RateLimit.of(Algorithm.TOKEN_BUCKET, 1, Duration.ofDays(1));
    assertThat(limiter.tryAcquire(key, 1, daily).allowed()).isTrue();
    clock.advance(Duration.ofHours(1)); // far beyond what the default limit needs to be fresh again
    limiter.cleanUp();
    assertThat(limiter.stats().keys()).isEqualTo(1);
    assertThat(limiter.tryAcquire(key, 1, daily).allowed()).as("the daily permit is still used").isFalse();
  }

  @Test
  void keysAreForgottenWithoutAnyoneCallingCleanUp() {
    LocalLimiter limiter = local(RateLimit.of(Algorithm.GCRA, 10, ofSeconds(1)));
    for (int i = 0; i < 1000; i++) {
      limiter.tryAcquire(key + i);
    }
    clock.advance(ofSeconds(3));
    // a sweep step looks at 64 keys about every 256 calls: 200,000 calls sweep the map many times over
    for (int i = 0; i < 200_000; i++) {
      limiter.tryConsume("busy", 1);
    }
    assertThat(limiter.stats().keys()).isEqualTo(1);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Algorithm.class)
  void decidingForExistingKeysAllocatesNothingWhileTheSweepRuns(Algorithm algorithm) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    LocalLimiter limiter = local(RateLimit.of(algorithm, 1_000_000, ofSeconds(1)));
    String[] keys = new String[4096]; // a sweep step looks at 64 of them every ~256 calls
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key + "-" + i;
    }
    int calls = 300_000;
    Duration step = Duration.ofNanos(3_000); // one instance: the test itself must not allocate per call
    for (int round = 0; round < 3; round++) { // warm up until compiled
      for (int i = 0; i < calls; i++) {
        limiter.tryConsume(keys[i & 4095], 1);
        clock.advance(step);
      }
    }
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    for (int i = 0; i < calls; i++) {
      limiter.tryConsume(keys[i & 4095], 1);
      clock.advance(step);
    }
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    // a sweep pass starts at most once a second (an iterator); nothing else may allocate
    assertThat(allocated / (double) calls).as(allocated + " bytes over " + calls + " decisions").isLessThan(0.05);
  }

  @Test
  void aKeyThatSwitchesAlgorithmStartsFresh() {
    LocalLimiter limiter = local(RateLimit.of(Algorithm.TOKEN_BUCKET, 1, ofMinutes(1)));
    assertThat(limiter.tryAcquire(key).allowed()).isTrue();
    assertThat(limiter.tryAcquire(key, 1, RateLimit.of(Algorithm.FIXED_WINDOW, 1, ofMinutes(1))).allowed()).isTrue();
  }

  @Test
  void maxKeysBoundsTheMap() {
    io.distkit.ratelimit.RateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.GCRA, 1, Duration.ofHours(1)))
        .maxKeys(50)
        .clock(clock)
        .scheduler(stopped)
        .build();
    for (int i = 0; i < 500; i++) {
      limiter.tryAcquire(key + i);
    }
    assertThat(limiter.stats().keys()).isLessThanOrEqualTo(50);
  }

  @Test
  void aSingleBandwidthKeyIsOneWordAndMovesToALockedStateWhenItsRateChanges() {
    LocalLimiter limiter = local(RateLimit.of(Algorithm.GCRA, 10, ofMinutes(1)));
    assertThat(limiter.tryAcquire(key, 8).remaining()).isEqualTo(2);
    RateLimit twoBandwidths = RateLimit.builder(Algorithm.GCRA)
        .bandwidth(io.distkit.ratelimit.Bandwidth.perMinute(100))
        .bandwidth(io.distkit.ratelimit.Bandwidth.perHour(1000))
        .build();
    assertThat(limiter.tryAcquire(key, 1, twoBandwidths).remaining()).as("owes its 8, now of 100").isEqualTo(91);
    assertThat(limiter.tryAcquire(key).remaining()).as("back to 10 per minute: owes 10").isZero();
  }

  @Test
  void aWordWhoseTimeRunsOutOfRangeIsRebasedWithoutChangingADecision() {
    // a = 4,294,967,291 (prime, so the rate does not reduce): the word can span about 18 minutes from its base
    RateLimit fast = RateLimit.of(Algorithm.TOKEN_BUCKET, 4_294_967_291L, ofSeconds(1));
    LocalLimiter limiter = local(fast);
    io.distkit.ratelimit.BoundRateLimiter handle = limiter.forKey(key);
    for (int minute = 0; minute < 60; minute += 7) {
      assertThat(handle.tryConsume(4_294_967_291L)).as("a full burst at minute " + minute).isTrue();
      assertThat(handle.tryConsume(1)).isFalse();
      clock.advance(Duration.ofNanos(1000));
      assertThat(handle.tryAcquire(4294).remaining()).as("one microsecond refills 4,294.97").isZero();
      clock.advance(Duration.ofMinutes(7));
    }
  }
}
