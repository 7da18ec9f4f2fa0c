package io.distkit.ratelimit;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.ratelimit.local.LocalRateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Limits and builders reject what they can not honour, with a message naming the value. */
class RateLimitValidationTest {

  @Test
  void bandwidthRejectsNonPositiveLimitsAndBursts() {
    assertThatThrownBy(() -> Bandwidth.of(0, ofSeconds(1))).hasMessage("limit (0) must be positive");
    assertThatThrownBy(() -> Bandwidth.of(-5, ofSeconds(1))).hasMessage("limit (-5) must be positive");
    assertThatThrownBy(() -> Bandwidth.perSecond(5).withBurst(0)).hasMessage("burst (0) must be positive");
  }

  @Test
  void bandwidthRejectsZeroNegativeTinyHugeAndSubMicrosecondPeriods() {
    assertThatThrownBy(() -> Bandwidth.of(1, Duration.ZERO))
        .hasMessage("period (PT0S) must be between PT0.001S and PT8784H");
    assertThatThrownBy(() -> Bandwidth.of(1, ofSeconds(-1))).hasMessageStartingWith("period (PT-1S) must be between");
    assertThatThrownBy(() -> Bandwidth.of(1, Duration.ofNanos(999_999))).hasMessageStartingWith("period (PT0.000999999S)");
    assertThatThrownBy(() -> Bandwidth.of(1, ofDays(367))).hasMessageStartingWith("period (PT8808H)");
    assertThatThrownBy(() -> Bandwidth.of(1, Duration.ofNanos(1_000_000_500)))
        .hasMessage("period (PT1.0000005S) must be a whole number of microseconds");
    assertThatThrownBy(() -> Bandwidth.of(1, null)).isInstanceOf(NullPointerException.class).hasMessage("period");
  }

  @Test
  void windowAlgorithmsTakeNoBurst() {
    assertThatThrownBy(() -> RateLimit.of(Algorithm.FIXED_WINDOW, Bandwidth.perSecond(10).withBurst(20)))
        .hasMessageContaining("burst (20) of 10 per PT1S (burst 20) applies only to TOKEN_BUCKET and GCRA");
    assertThat(RateLimit.of(Algorithm.GCRA, Bandwidth.perSecond(10).withBurst(20)).capacity()).isEqualTo(20);
  }

  @Test
  void absurdCapacitiesAreRejected() {
    assertThatThrownBy(() -> RateLimit.of(Algorithm.FIXED_WINDOW, Long.MAX_VALUE, ofSeconds(1)))
        .hasMessageContaining("must be at most 2^50");
    assertThatThrownBy(() -> RateLimit.of(Algorithm.SLIDING_LOG, 2_000_000, ofSeconds(1)))
        .hasMessageContaining("limit (2000000)").hasMessageContaining("too large for SLIDING_LOG")
        .hasMessageContaining("use SLIDING_WINDOW_COUNTER or TOKEN_BUCKET");
    // 7 per 1.000001 s: gcd 1, so b = 1,000,001 and burst x b passes 2^53 only for an enormous burst
    assertThat(RateLimit.of(Algorithm.TOKEN_BUCKET, Bandwidth.of(7, Duration.ofNanos(1_000_001_000)).withBurst(1_000_000_000)))
        .isNotNull();
    assertThatThrownBy(() -> RateLimit.of(Algorithm.TOKEN_BUCKET,
            Bandwidth.of(7, Duration.ofNanos(1_000_001_000)).withBurst(10_000_000_000L)))
        .hasMessageContaining("needs more precision than exact integer arithmetic below 2^53 allows");
    assertThatThrownBy(() -> RateLimit.of(Algorithm.SLIDING_WINDOW_COUNTER, 1L << 50, ofDays(366)))
        .hasMessageContaining("too large for SLIDING_WINDOW_COUNTER");
  }

  @Test
  void extremeButRealLimitsAreAccepted() {
    for (Algorithm algorithm : Algorithm.values()) {
      assertThat(RateLimit.of(algorithm, 1, ofDays(1))).isNotNull();
      assertThat(RateLimit.of(algorithm, 1_000_000, ofSeconds(1))).isNotNull();
      assertThat(RateLimit.of(algorithm, 3, ofMillis(1))).isNotNull();
    }
    assertThat(RateLimit.of(Algorithm.TOKEN_BUCKET, 10_000_000, ofHours(1))).isNotNull();
    assertThat(RateLimit.of(Algorithm.SLIDING_WINDOW_COUNTER, 10_000_000, ofHours(1))).isNotNull();
  }

  @Test
  void aLimitNeedsOneToEightBandwidths() {
    assertThatThrownBy(() -> RateLimit.builder(Algorithm.GCRA).build())
        .hasMessage("a rate limit needs at least one bandwidth");
    RateLimit.Builder nine = RateLimit.builder(Algorithm.GCRA);
    for (int i = 1; i <= 9; i++) {
      nine.bandwidth(Bandwidth.perSecond(i));
    }
    assertThatThrownBy(nine::build).hasMessage("bandwidths (9) must be at most 8");
  }

  @Test
  void scaledSharesRoundUpToAtLeastOne() {
    RateLimit limit = RateLimit.builder(Algorithm.TOKEN_BUCKET)
        .bandwidth(Bandwidth.perSecond(10).withBurst(15))
        .bandwidth(Bandwidth.perHour(1))
        .build();
    RateLimit quarter = limit.scaled(0.25);
    assertThat(quarter.bandwidths()).containsExactly(Bandwidth.perSecond(3).withBurst(4), Bandwidth.perHour(1));
    assertThatThrownBy(() -> limit.scaled(0)).hasMessage("share (0.0) must be in (0, 1]");
    assertThatThrownBy(() -> limit.scaled(1.5)).hasMessage("share (1.5) must be in (0, 1]");
  }

  @Test
  void buildersRejectMissingLimitsAndBadSettings() {
    assertThatThrownBy(() -> LocalRateLimiter.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a rate limiter needs a limit(RateLimit) or a limits(LimitResolver)");
    assertThatThrownBy(() -> LocalRateLimiter.builder().maxKeys(0)).hasMessage("maxKeys (0) must be positive");
    try (var client = io.distkit.core.testing.RedisServers.standalone().newClient()) {
      assertThatThrownBy(() -> RedisRateLimiter.builder(client).name("has space"))
          .hasMessage("name ('has space') must be 1 to 64 letters, digits, '_', '-' or '.'");
      assertThatThrownBy(() -> RedisRateLimiter.builder(client).fallbackShare(0))
          .hasMessage("fallbackShare (0.0) must be in (0, 1]");
      assertThatThrownBy(() -> RedisRateLimiter.builder(client).keyPrefix("a{b"))
          .hasMessageContaining("prefix ('a{b')");
    }
  }
}
