package io.distkit.ratelimit;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.ratelimit.local.LocalRateLimiter;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest extends RateLimiterContractTest {

  @Override
  RateLimiter limiter(UnaryOperator<RateLimiterBuilder<?>> config) {
    LocalRateLimiter.Builder builder = LocalRateLimiter.builder().clock(clock).sleeper(sleeper);
    config.apply(builder);
    return builder.build();
  }

  @Test
  void forgetsAKeyOnlyOnceItIsSurelyFresh() {
    LocalRateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.TOKEN_BUCKET, 10, ofMinutes(1)))
        .clock(clock)
        .build();
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
    LocalRateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.TOKEN_BUCKET, 10, ofSeconds(1)))
        .clock(clock)
        .build();
    RateLimit daily = RateLimit.of(Algorithm.TOKEN_BUCKET, 1, Duration.ofDays(1));
    assertThat(limiter.tryAcquire(key, 1, daily).allowed()).isTrue();
    clock.advance(Duration.ofHours(1)); // far beyond what the default limit needs to be fresh again
    limiter.cleanUp();
    assertThat(limiter.stats().keys()).isEqualTo(1);
    assertThat(limiter.tryAcquire(key, 1, daily).allowed()).as("the daily permit is still used").isFalse();
  }

  @Test
  void keysAreForgottenWithoutAnyoneCallingCleanUp() {
    LocalRateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.GCRA, 10, ofSeconds(1)))
        .clock(clock)
        .build();
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

  @Test
  void aKeyThatSwitchesAlgorithmStartsFresh() {
    LocalRateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.TOKEN_BUCKET, 1, ofMinutes(1)))
        .clock(clock)
        .build();
    assertThat(limiter.tryAcquire(key).allowed()).isTrue();
    assertThat(limiter.tryAcquire(key, 1, RateLimit.of(Algorithm.FIXED_WINDOW, 1, ofMinutes(1))).allowed()).isTrue();
  }

  @Test
  void maxKeysBoundsTheMap() {
    LocalRateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.GCRA, 1, Duration.ofHours(1)))
        .maxKeys(50)
        .clock(clock)
        .build();
    for (int i = 0; i < 500; i++) {
      limiter.tryAcquire(key + i);
    }
    assertThat(limiter.stats().keys()).isLessThanOrEqualTo(50);
  }
}
