package io.distkit.ratelimit;

import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.ratelimit.RateLimitDecision.Reason;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

/**
 * A value under a limiter's key that the limiter did not write (garbage of the right length, another format
 * version, a planted state far in the future), with no TTL: it must never deny a key forever (issue 11, item
 * 5). Unreadable values count as absent and are overwritten by the next grant; every key the limiter touched
 * ends with a TTL.
 */
class RedisRateLimiterStoredStateTest {

  private static final RedisClient CLIENT = RedisServers.standalone().newClient();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  private final String name = TestKeys.unique("stored");
  private final String user = TestKeys.unique("user");

  private String redisKey(Algorithm algorithm) {
    return "distkit:ratelimit:{" + user + "}:" + name + ":" + RedisRateLimiterFootprintTest.suffix(algorithm);
  }

  private RateLimiter limiter(RateLimit limit) {
    return RedisRateLimiter.builder(CLIENT).name(name).limit(limit).build();
  }

  /** The values (32 × x under GCRA, 24 × x under a fixed window) and their like for the others. */
  @ParameterizedTest
  @CsvSource({"GCRA, 32, 1", "GCRA, 32, 2", "FIXED_WINDOW, 24, 1", "FIXED_WINDOW, 24, 2", "TOKEN_BUCKET, 24, 1",
      "TOKEN_BUCKET, 33, 1", "SLIDING_WINDOW_COUNTER, 32, 1", "SLIDING_WINDOW_COUNTER, 65, 2"})
  void garbageOfTheRightLengthWithoutATtlIsAbsentAndOverwrittenByTheNextGrant(Algorithm algorithm, int length,
      int bandwidths) {
    RateLimit.Builder builder = RateLimit.builder(algorithm).bandwidth(Bandwidth.perMinute(5));
    if (bandwidths == 2) {
      builder.bandwidth(Bandwidth.perHour(50));
    }
    RateLimiter limiter = limiter(builder.build());
    String key = redisKey(algorithm);
    CLIENT.set(key, "x".repeat(length));
    assertThat(CLIENT.pttl(key)).as("planted without a TTL").isEqualTo(-1);

    RateLimitDecision d = limiter.tryAcquire(user);
    assertThat(d.allowed()).as("garbage is a fresh key, not a full one").isTrue();
    assertThat(d.remaining()).isEqualTo(4);
    assertThat(CLIENT.pttl(key)).as("overwritten, with a TTL").isPositive();
    assertThat(CLIENT.get(key.getBytes(StandardCharsets.UTF_8))[0]).as("format version").isEqualTo((byte) 1);
    assertThat(limiter.tryAcquire(user, 4).allowed()).as("and counted from there").isTrue();
    assertThat(limiter.tryAcquire(user).allowed()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = {"TOKEN_BUCKET", "GCRA", "FIXED_WINDOW", "SLIDING_WINDOW_COUNTER"})
  void garbageUnderARequestThatIsDeniedAnywayIsDeletedNotLeftWithoutATtl(Algorithm algorithm) {
    RateLimiter limiter = limiter(RateLimit.of(algorithm, 5, ofMinutes(1)));
    String key = redisKey(algorithm);
    CLIENT.set(key, "x".repeat(32));
    assertThat(limiter.tryAcquire(user, 6).reason()).isEqualTo(Reason.EXCEEDS_CAPACITY);
    assertThat(CLIENT.exists(key)).isFalse();
  }

  /** A well-formed GCRA or token bucket state whose time is ten years ahead: denies, but not forever. */
  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = {"TOKEN_BUCKET", "GCRA"})
  void aStateFarInTheFutureWithoutATtlGetsOne(Algorithm algorithm) {
    RateLimiter limiter = limiter(RateLimit.of(algorithm, 5, ofMinutes(1)));
    long tenYears = (System.currentTimeMillis() + 10L * 366 * 24 * 3600 * 1000) * 1000;
    // a = 1, b = 12,000,000 (5 per minute); GCRA {a, b, tat, rem}, token bucket {a, b, last, deficit}
    ByteBuffer value = ByteBuffer.allocate(33).order(ByteOrder.LITTLE_ENDIAN);
    value.put((byte) 1).putDouble(1).putDouble(12_000_000).putDouble(tenYears)
        .putDouble(algorithm == Algorithm.GCRA ? 0 : 60_000_000);
    String key = redisKey(algorithm);
    CLIENT.set(key.getBytes(StandardCharsets.UTF_8), value.array());
    assertThat(limiter.tryAcquire(user).allowed()).as("time went back by ten years: an empty bucket").isFalse();
    assertThat(CLIENT.pttl(key)).as("the key now expires within a refill").isPositive()
        .isLessThanOrEqualTo(ofMinutes(1).toMillis());
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aKeyOfAnotherTypeIsAnErrorThatNamesIt(Algorithm algorithm) {
    RateLimiter limiter = limiter(RateLimit.of(algorithm, 5, ofMinutes(1)));
    String key = redisKey(algorithm);
    CLIENT.hset(key, "field", "value");
    assertThatThrownBy(() -> limiter.tryAcquire(user))
        .isInstanceOf(DistkitException.class)
        .isNotInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("WRONGTYPE")
        .hasMessageContaining(key);
  }
}
