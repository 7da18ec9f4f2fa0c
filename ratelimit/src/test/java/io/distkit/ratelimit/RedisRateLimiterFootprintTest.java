package io.distkit.ratelimit;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

/**
 * What a Redis decision costs Redis: commands per decision (INFO commandstats), bytes per key (MEMORY
 * USAGE), and a TTL that ends exactly when the state would be fresh. A server of its own, so the counts are
 * exact. The numbers are printed for the docs.
 */
class RedisRateLimiterFootprintTest {

  private static RedisServerProcess server;
  private static RedisClient client;

  @BeforeAll
  static void start() {
    server = RedisServers.startStandalone();
    client = server.newClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /** Commands a script runs inside Redis, per algorithm: these never cross the network. */
  private static final Map<Algorithm, Set<String>> INSIDE_THE_SCRIPT = Map.of(
      Algorithm.TOKEN_BUCKET, Set.of("get", "set", "time"),
      Algorithm.GCRA, Set.of("get", "set", "time"),
      Algorithm.FIXED_WINDOW, Set.of("get", "set", "time"),
      Algorithm.SLIDING_WINDOW_COUNTER, Set.of("get", "set", "time"),
      Algorithm.SLIDING_LOG, Set.of("zrange", "zremrangebyscore", "zcount", "zadd", "zrangebyscore", "pexpire", "time"));

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void oneEvalshaPerDecisionWhateverTheOutcome(Algorithm algorithm) {
    RateLimiter limiter = RedisRateLimiter.builder(client).name("footprint")
        .limit(RateLimit.builder(algorithm).bandwidth(Bandwidth.perSecond(5)).bandwidth(Bandwidth.perHour(100)).build())
        .build();
    String key = "one-round-trip-" + algorithm.id();
    limiter.tryAcquire(key); // loads the script
    CommandStats before = server.commandStats();
    for (int i = 0; i < 20; i++) {
      limiter.tryAcquire(key); // 4 allowed, 16 denied
    }
    CommandStats sent = server.commandStats().minus(before);
    assertThat(sent.calls("evalsha")).isEqualTo(20);
    long fromClient = sent.total() - sent.calls().entrySet().stream()
        .filter(e -> INSIDE_THE_SCRIPT.get(algorithm).contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    assertThat(fromClient).as("nothing but EVALSHA crossed the network: " + sent).isEqualTo(20);
    System.out.printf("%s: per decision %s%n", algorithm, perDecision(sent, 20));
  }

  /** The key suffix of each algorithm, as the documented key layout names it. */
  static String suffix(Algorithm algorithm) {
    return Map.of(Algorithm.TOKEN_BUCKET, "tb", Algorithm.GCRA, "gcra", Algorithm.FIXED_WINDOW, "fw",
        Algorithm.SLIDING_LOG, "log", Algorithm.SLIDING_WINDOW_COUNTER, "swc").get(algorithm);
  }

  private static String perDecision(CommandStats sent, int decisions) {
    StringBuilder out = new StringBuilder();
    sent.calls().entrySet().stream().filter(e -> !e.getKey().equals("info"))
        .forEach(e -> out.append(e.getKey()).append('=').append(String.format("%.2f ", e.getValue() / (double) decisions)));
    return out.toString().trim();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aKeyIsSmallAndExpiresWhenItsStateIsFresh(Algorithm algorithm) {
    RateLimiter limiter = RedisRateLimiter.builder(client).name("api")
        .limit(RateLimit.of(algorithm, 100, ofMinutes(1)))
        .build();
    String user = "user-00000042";
    RateLimitDecision d = limiter.tryAcquire(user, 10);
    String redisKey = "distkit:ratelimit:{" + user + "}:api:" + suffix(algorithm);
    long bytes = client.memoryUsage(redisKey);
    long ttl = client.pttl(redisKey);
    System.out.printf("%s: MEMORY USAGE %d bytes for %s after 10 permits; PTTL %d ms, resetAfter %d ms%n",
        algorithm, bytes, redisKey, ttl, d.resetAfter().toMillis());

    assertThat(ttl).as("expires when fresh, not later").isPositive().isLessThanOrEqualTo(d.resetAfter().toMillis() + 1);
    assertThat(ttl).as("and not before").isGreaterThanOrEqualTo(d.resetAfter().toMillis() - 1000);
    if (algorithm == Algorithm.SLIDING_LOG) {
      assertThat(bytes).as("O(limit): one member per permit").isLessThan(100 + 10 * 64);
    } else {
      // Redis 6.2 measures 114-122 bytes, 7.0 120-136 (allocator size classes)
      assertThat(bytes).as("about 30 bytes of state plus the key name and Redis overhead").isLessThan(144);
    }
  }

  @org.junit.jupiter.api.Test
  void aSlidingLogGrowsWithThePermitsInItsWindow() {
    RateLimiter limiter = RedisRateLimiter.builder(client).name("log")
        .limit(RateLimit.of(Algorithm.SLIDING_LOG, 10_000, ofMinutes(1)))
        .build();
    long previous = 0;
    for (int permits : new int[] {100, 1_000, 10_000}) {
      String user = "log-" + permits;
      assertThat(limiter.tryAcquire(user, permits).allowed()).isTrue();
      long bytes = client.memoryUsage("distkit:ratelimit:{" + user + "}:log:log");
      System.out.printf("SLIDING_LOG: MEMORY USAGE %d bytes for %d permits in the window (%.1f per permit)%n",
          bytes, permits, bytes / (double) permits);
      assertThat(bytes).isGreaterThan(previous).isLessThan(permits * 160L); // 6.2: ~111 per permit, 7.0: ~126
      previous = bytes;
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aDenialWritesNothingAndAnUnusedKeyLeavesNoTrace(Algorithm algorithm) {
    RateLimiter limiter = RedisRateLimiter.builder(client).name("trace")
        .limit(RateLimit.of(algorithm, 2, ofSeconds(10)))
        .build();
    assertThat(limiter.tryAcquire("never-fits", 3).allowed()).isFalse();
    assertThat(client.exists("distkit:ratelimit:{never-fits}:trace:" + suffix(algorithm))).isFalse();
  }

  /**
   * State is a format version byte (1), then 3 or 4 little-endian doubles per bandwidth, each an exact
   * integer; a value of any other shape or version (another writer's, or an earlier layout) reads as fresh,
   * never as an error, and is overwritten by the next grant.
   */
  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = {"TOKEN_BUCKET", "GCRA", "FIXED_WINDOW", "SLIDING_WINDOW_COUNTER"})
  void stateIsAVersionByteAndPackedIntegersAndAValueOfAnotherShapeReadsAsFresh(Algorithm algorithm) {
    RateLimiter limiter = RedisRateLimiter.builder(client).name("packed")
        .timeSource(TimeSource.CLIENT).clock(new ManualClock())
        .limit(RateLimit.builder(algorithm).bandwidth(Bandwidth.perMinute(5)).bandwidth(Bandwidth.perHour(50)).build())
        .build();
    String user = "packed-" + algorithm.id();
    byte[] redisKey = ("distkit:ratelimit:{" + user + "}:packed:" + suffix(algorithm))
        .getBytes(StandardCharsets.UTF_8);
    assertThat(limiter.tryAcquire(user, 5).allowed()).isTrue();

    byte[] raw = client.get(redisKey);
    int perBandwidth = algorithm == Algorithm.FIXED_WINDOW ? 3 : 4;
    assertThat(raw).hasSize(1 + 2 * perBandwidth * 8);
    assertThat(raw[0]).as("format version").isEqualTo((byte) 1);
    ByteBuffer doubles = ByteBuffer.wrap(raw, 1, raw.length - 1).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 2 * perBandwidth; i++) {
      double value = doubles.getDouble();
      assertThat(value).as("field %d of %s", i, algorithm).isNotNegative().isLessThan(0x1p53)
          .isEqualTo(Math.rint(value));
    }
    assertThat(limiter.tryAcquire(user).allowed()).as("the minute's 5 are used").isFalse();

    client.set(redisKey, "1763940000000000:1:5:0".getBytes(StandardCharsets.US_ASCII));
    assertThat(limiter.tryAcquire(user, 5).allowed()).as("an unreadable value is a fresh key").isTrue();
    assertThat(client.get(redisKey)).hasSize(1 + 2 * perBandwidth * 8);

    raw[0] = 2;
    client.set(redisKey, raw);
    assertThat(limiter.tryAcquire(user, 5).allowed()).as("another format version is a fresh key").isTrue();
  }
}
