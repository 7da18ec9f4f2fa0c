package io.distkit.benchmarks.ratelimit;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.Bandwidth;
import io.distkit.ratelimit.BoundRateLimiter;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.local.LocalRateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.caffeine.Bucket4jCaffeine;
import io.github.bucket4j.caffeine.CaffeineProxyManager;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The in-process limiters under test, each configured for the same limit: {@code rate} permits per second
 * with bursts of {@code rate}, a fresh key starting full.
 *
 * <p>Differences that remain, by each library's design: Guava's {@code RateLimiter} and Resilience4j's
 * {@code AtomicRateLimiter} are one limiter for one key (no key lookup at all), Bucket4j's local {@code Bucket}
 * too, and so is distkit's handle ({@code limiter.forKey(key)}); {@code distkit-gcra-keyed} shows what
 * finding the key in the limiter's map on every call adds. Resilience4j refills its whole
 * limit at the start of each period (a fixed window) rather than continuously; Guava starts with no stored
 * permits. Under the loads measured here none of this changes which requests are granted often enough to
 * matter.
 */
public final class LocalLimiters {

  /** The implementations of {@link #oneKey}: the {@code implementation} {@code @Param} values. */
  public static final String DISTKIT_TOKEN_BUCKET = "distkit-token-bucket";

  /** distkit's GCRA. */
  public static final String DISTKIT_GCRA = "distkit-gcra";

  /** distkit's GCRA called with the key ({@code tryConsume(key, 1)}), finding it in its map on every call. */
  public static final String DISTKIT_GCRA_KEYED = "distkit-gcra-keyed";

  /** Bucket4j's local, lock-free {@code Bucket}. */
  public static final String BUCKET4J = "bucket4j";

  /** Guava's {@code RateLimiter} (smooth bursty). */
  public static final String GUAVA = "guava";

  /** Resilience4j's {@code AtomicRateLimiter}, which does not wait ({@code timeoutDuration} zero). */
  public static final String RESILIENCE4J = "resilience4j";

  /** Bucket4j's {@code CaffeineProxyManager}: one bucket state per key in a Caffeine cache. */
  public static final String BUCKET4J_CAFFEINE = "bucket4j-caffeine";

  /**
   * The bound on keys held, for both distkit's map and Bucket4j's Caffeine cache: twice the keys measured, so
   * neither evicts for size.
   */
  public static final long MAX_KEYS = 2_000_000;

  /** The burst of each key in {@link #manyKeys}. */
  public static final long MANY_KEYS_BURST = 1_000_000;

  /** How long a key outlives its refill to full, in both distkit (fixed) and Bucket4j (configured to match). */
  private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(1);

  private LocalLimiters() {}

  /**
   * A limiter of one key.
   *
   * @param implementation one of {@link #DISTKIT_TOKEN_BUCKET}, {@link #DISTKIT_GCRA} (both through
   *     {@code forKey}), {@link #DISTKIT_GCRA_KEYED}, {@link #BUCKET4J}, {@link #GUAVA}, {@link #RESILIENCE4J}
   * @param rate permits per second, also the burst
   * @return the limiter
   */
  public static OneKeyLimiter oneKey(String implementation, long rate) {
    switch (implementation) {
      case DISTKIT_TOKEN_BUCKET, DISTKIT_GCRA -> {
        // the handle of one key: what a limiter guarding one resource uses, like the peers' one object per key
        BoundRateLimiter handle = distkit(algorithm(implementation), Bandwidth.perSecond(rate)).forKey("user-42");
        return () -> handle.tryConsume(1);
      }
      case DISTKIT_GCRA_KEYED -> {
        RateLimiter limiter = distkit(Algorithm.GCRA, Bandwidth.perSecond(rate));
        String key = "user-42";
        return () -> limiter.tryConsume(key, 1);
      }
      case BUCKET4J -> {
        Bucket bucket = Bucket.builder().addLimit(bucket4jBandwidth(rate)).build();
        return () -> bucket.tryConsume(1);
      }
      case GUAVA -> {
        com.google.common.util.concurrent.RateLimiter limiter =
            com.google.common.util.concurrent.RateLimiter.create(rate);
        return limiter::tryAcquire;
      }
      case RESILIENCE4J -> {
        AtomicRateLimiter limiter = new AtomicRateLimiter("bench", RateLimiterConfig.custom()
            .limitForPeriod((int) Math.min(rate, Integer.MAX_VALUE))
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ZERO)
            .build());
        return limiter::acquirePermission;
      }
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a local "
          + "limiter of one key");
    }
  }

  /**
   * A limiter of many keys, each with bursts of {@value #MANY_KEYS_BURST} refilled at one permit per minute:
   * every call is granted, and no key is ever full again during a trial, so neither denials nor forgetting
   * shape the numbers.
   *
   * @param implementation one of {@link #DISTKIT_TOKEN_BUCKET}, {@link #DISTKIT_GCRA}, {@link #BUCKET4J_CAFFEINE}
   * @param keys the keys, addressed by index
   * @return the limiter
   */
  public static KeyedLimiter manyKeys(String implementation, String[] keys) {
    switch (implementation) {
      case DISTKIT_TOKEN_BUCKET, DISTKIT_GCRA -> {
        RateLimiter limiter = distkit(algorithm(implementation),
            Bandwidth.of(1, Duration.ofMinutes(1)).withBurst(MANY_KEYS_BURST));
        return key -> limiter.tryConsume(keys[key], 1);
      }
      case BUCKET4J_CAFFEINE -> {
        CaffeineProxyManager<String> buckets = Bucket4jCaffeine.<String>builderFor(
                Caffeine.newBuilder().maximumSize(MAX_KEYS))
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
            .build();
        BucketConfiguration configuration = BucketConfiguration.builder()
            .addLimit(io.github.bucket4j.Bandwidth.builder()
                .capacity(MANY_KEYS_BURST)
                .refillGreedy(1, Duration.ofMinutes(1))
                .build())
            .build();
        Supplier<BucketConfiguration> configurationSupplier = () -> configuration;
        // a proxy per call, as Bucket4j's documentation shows: holding one per key would cost memory instead
        return key -> buckets.builder().build(keys[key], configurationSupplier).tryConsume(1);
      }
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a local "
          + "limiter of many keys");
    }
  }

  private static Algorithm algorithm(String implementation) {
    return implementation.equals(DISTKIT_GCRA) ? Algorithm.GCRA : Algorithm.TOKEN_BUCKET;
  }

  private static RateLimiter distkit(Algorithm algorithm, Bandwidth bandwidth) {
    return LocalRateLimiter.builder()
        .limit(RateLimit.of(algorithm, bandwidth))
        .maxKeys(MAX_KEYS)
        .build();
  }

  /**
   * The Bucket4j bandwidth equal to distkit's {@code Bandwidth.perSecond(rate)}.
   *
   * @param rate permits per second, also the capacity
   * @return a greedy (continuous) refill of {@code rate} per second into a bucket of {@code rate}
   */
  static io.github.bucket4j.Bandwidth bucket4jBandwidth(long rate) {
    return io.github.bucket4j.Bandwidth.builder().capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)).build();
  }
}
