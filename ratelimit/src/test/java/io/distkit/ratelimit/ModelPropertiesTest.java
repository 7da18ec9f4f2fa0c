package io.distkit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.ratelimit.local.LocalRateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import redis.clients.jedis.RedisClient;

/**
 * Random limits and request sequences: every decision of every algorithm matches the exact reference model,
 * locally and on Redis, field by field.
 */
class ModelPropertiesTest {

  private static RedisClient redis;

  private static synchronized RedisClient redis() {
    if (redis == null) {
      redis = RedisServers.standalone().newClient();
    }
    return redis;
  }

  @AfterContainer
  static synchronized void closeRedis() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Scenario.any();
  }

  @Provide
  Arbitrary<Scenario> tokenBuckets() {
    return Scenario.of(Algorithm.TOKEN_BUCKET);
  }

  @Property(tries = 400)
  void localLimiterMatchesTheModel(@ForAll("scenarios") Scenario scenario) {
    check(scenario, (limit, clock) -> LocalRateLimiter.builder().limit(limit).clock(clock).build());
  }

  @Property(tries = 80)
  void redisLimiterMatchesTheModel(@ForAll("scenarios") Scenario scenario) {
    check(scenario, (limit, clock) -> RedisRateLimiter.builder(redis())
        .name(TestKeys.unique("model"))
        .timeSource(TimeSource.CLIENT)
        .limit(limit)
        .clock(clock)
        .build());
  }

  @Property(tries = 200)
  void gcraMakesTheTokenBucketsDecisions(@ForAll("tokenBuckets") Scenario scenario) {
    RateLimit.Builder gcra = RateLimit.builder(Algorithm.GCRA);
    scenario.limit().bandwidths().forEach(gcra::bandwidth);
    ManualClock clock = new ManualClock();
    RateLimiter bucket = LocalRateLimiter.builder().limit(scenario.limit()).clock(clock).build();
    RateLimiter meter = LocalRateLimiter.builder().limit(gcra.build()).clock(clock).build();
    for (Scenario.Step step : scenario.steps()) {
      clock.advance(Duration.ofNanos(step.advanceMicros() * 1000));
      assertThat(meter.tryAcquire("k", step.permits())).isEqualTo(bucket.tryAcquire("k", step.permits()));
    }
  }

  private static void check(Scenario scenario, BiFunction<RateLimit, ManualClock, RateLimiter> factory) {
    ManualClock clock = new ManualClock();
    RateLimiter limiter = factory.apply(scenario.limit(), clock);
    ReferenceModel model = new ReferenceModel(scenario.limit());
    String key = TestKeys.unique("key");
    long t = clock.epochMillis() * 1000;
    int i = 0;
    for (Scenario.Step step : scenario.steps()) {
      clock.advance(Duration.ofNanos(step.advanceMicros() * 1000));
      t += step.advanceMicros();
      RateLimitDecision actual = limiter.tryAcquire(key, step.permits());
      ReferenceModel.Expected expected = model.decide(t, step.permits());
      String where = "step " + i++ + " " + step + " of " + scenario.limit();
      assertThat(actual.reason()).as(where).isEqualTo(expected.reason());
      assertThat(actual.allowed()).as(where).isEqualTo(expected.reason() == RateLimitDecision.Reason.ALLOWED);
      assertThat(actual.remaining()).as(where + ": remaining").isEqualTo(expected.remaining());
      assertThat(actual.retryAfterMicros()).as(where + ": retry after").isEqualTo(expected.retryAfter());
      assertThat(actual.resetAfterMicros()).as(where + ": reset after").isEqualTo(expected.resetAfter());
    }
  }
}
