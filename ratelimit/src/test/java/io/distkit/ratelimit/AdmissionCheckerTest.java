package io.distkit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.Clock;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.ratelimit.internal.MonotonicMicros;
import io.distkit.ratelimit.local.LocalRateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

/**
 * Many threads, two limiter instances on the same Redis (as two JVMs would be), one key: every admission is
 * recorded and the algorithm's guarantee is checked over the whole history.
 */
class AdmissionCheckerTest {

  private static final int THREADS_PER_INSTANCE = 3;
  private static RedisClient first;
  private static RedisClient second;

  @BeforeAll
  static void connect() {
    first = RedisServers.standalone().newClient();
    second = RedisServers.standalone().newClient();
  }

  @AfterAll
  static void close() {
    first.close();
    second.close();
  }

  /**
   * Manual time, exact: threads race within a round at a fixed instant; between rounds the clock moves by a
   * random step. Two Redis limiters with client time, then the same on one local limiter.
   */
  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void manualTimeTwoRedisInstancesNeverExceedTheGuarantee(Algorithm algorithm) throws Exception {
    RateLimit limit = RateLimit.of(algorithm, Bandwidth.of(20, Duration.ofMillis(100)));
    ManualClock clock = new ManualClock();
    String name = TestKeys.unique("checker");
    List<RateLimiter> instances = List.of(
        RedisRateLimiter.builder(first).name(name).timeSource(TimeSource.CLIENT).clock(clock).limit(limit).build(),
        RedisRateLimiter.builder(second).name(name).timeSource(TimeSource.CLIENT).clock(clock).limit(limit).build());
    runRounds(algorithm, limit, clock, instances);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void manualTimeOneLocalLimiterUnderContentionNeverExceedsTheGuarantee(Algorithm algorithm) throws Exception {
    RateLimit limit = RateLimit.of(algorithm, Bandwidth.of(20, Duration.ofMillis(100)));
    ManualClock clock = new ManualClock();
    RateLimiter local = LocalRateLimiter.builder().clock(clock).limit(limit).build();
    runRounds(algorithm, limit, clock, List.of(local, local));
  }

  private static void runRounds(Algorithm algorithm, RateLimit limit, ManualClock clock, List<RateLimiter> instances)
      throws Exception {
    int threads = instances.size() * THREADS_PER_INSTANCE;
    int rounds = 150;
    AdmissionHistory history = new AdmissionHistory();
    Random steps = new Random(42);
    long[] advances = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      advances[r] = steps.nextInt(4) == 0 ? 0 : steps.nextInt(30_000); // µs; often several rounds per window
    }
    // the barrier's action runs alone, between rounds: the only place time moves
    int[] round = {0};
    CyclicBarrier barrier = new CyclicBarrier(threads, () -> clock.advance(Duration.ofNanos(advances[round[0]++] * 1000)));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    String key = TestKeys.unique("hot");
    long[] denied = new long[threads];
    MonotonicMicros time = new MonotonicMicros(clock); // the limiters' timeline: same clock, same anchor
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        RateLimiter limiter = instances.get(t % instances.size());
        int id = t;
        done.add(pool.submit(() -> {
          BoundRateLimiter handle = limiter.forKey(key);
          for (int r = 0; r < rounds; r++) {
            long now = time.now();
            for (int call = 0; call < 4; call++) {
              long permits = 1 + ThreadLocalRandom.current().nextInt(3);
              // every entry point, keyed and through a handle, on the same state; tryConsume may refuse from
              // an optimistic read when the key is contended
              boolean allowed = switch ((call + id) % 4) {
                case 0 -> limiter.tryAcquire(key, permits).allowed();
                case 1 -> limiter.tryConsume(key, permits);
                case 2 -> handle.tryConsume(permits);
                default -> handle.tryAcquire(permits).allowed();
              };
              if (allowed) {
                history.record(now, now, permits);
              } else {
                denied[id]++;
              }
            }
            barrier.await(30, TimeUnit.SECONDS);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Bandwidth bw = limit.bandwidths().get(0);
    String seen = history.checkGuarantee(algorithm, bw.limit(), bw.period().toNanos() / 1000, bw.burst());
    long deniedTotal = java.util.Arrays.stream(denied).sum();
    System.out.printf("%s manual time: %d admissions (%d permits), %d denials;%s%n", algorithm, history.size(),
        history.permits(), deniedTotal, seen);
    assertThat(history.permits()).as("the limiter admitted a fair share").isGreaterThan(bw.limit() * 5);
    assertThat(deniedTotal).as("and was contended").isGreaterThan(0);
  }

  /**
   * Real time, server clock: the two instances' own clocks are five seconds apart, which must not matter.
   * Times are recorded around each call, so only admissions known to lie inside an interval count.
   */
  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void realTimeServerClockTwoInstancesWithSkewedClocksNeverExceedTheGuarantee(Algorithm algorithm) throws Exception {
    RateLimit limit = RateLimit.of(algorithm, Bandwidth.of(30, Duration.ofMillis(200)));
    String name = TestKeys.unique("realtime");
    Clock ahead = new SkewedClock(Duration.ofSeconds(5));
    List<RateLimiter> instances = List.of(
        RedisRateLimiter.builder(first).name(name).limit(limit).build(),
        RedisRateLimiter.builder(second).name(name).clock(ahead).limit(limit).build());
    AdmissionHistory history = new AdmissionHistory();
    String key = TestKeys.unique("hot");
    int threads = instances.size() * THREADS_PER_INSTANCE;
    long deadline = System.nanoTime() + Duration.ofMillis(700).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long denied = 0;
    try {
      List<Future<Long>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        RateLimiter limiter = instances.get(t % instances.size());
        done.add(pool.submit(() -> {
          long no = 0;
          while (System.nanoTime() < deadline) {
            long permits = 1 + ThreadLocalRandom.current().nextInt(2);
            long from = micros(Instant.now());
            boolean allowed = limiter.tryAcquire(key, permits).allowed();
            long to = micros(Instant.now());
            if (allowed) {
              history.record(from, to, permits);
            } else {
              no++;
            }
          }
          return no;
        }));
      }
      for (Future<Long> f : done) {
        denied += f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Bandwidth bw = limit.bandwidths().get(0);
    String seen = history.checkGuarantee(algorithm, bw.limit(), bw.period().toNanos() / 1000, bw.burst());
    System.out.printf("%s real time, clocks 5 s apart: %d admissions (%d permits), %d denials;%s%n", algorithm,
        history.size(), history.permits(), denied, seen);
    assertThat(history.permits()).isGreaterThan(bw.limit());
    assertThat(denied).isGreaterThan(0);
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  /** The system clock, but its wall time is off by a fixed amount, as on a badly synchronized host. */
  private record SkewedClock(Duration skew) implements Clock {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public long epochMillis() {
      return System.currentTimeMillis() + skew.toMillis();
    }
  }
}
