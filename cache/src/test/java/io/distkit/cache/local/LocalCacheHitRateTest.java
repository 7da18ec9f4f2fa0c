package io.distkit.cache.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.cache.Cache;
import io.distkit.cache.CacheStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hit rates of {@link LocalCache} (Caffeine's W-TinyLFU) beside a plain LRU of the same size, on traces generated
 * here from fixed seeds: Zipf-distributed keys, the same keys polluted by one-pass scans, and a loop a little larger
 * than the cache. Belady's clairvoyant optimum on the same trace is a ceiling both stay under (and on Zipf, holding
 * the likeliest keys). Every read goes through {@code get(key, loader)}; hits are counted by the cache's own stats.
 * Single-threaded, and Caffeine's upkeep runs on the calling thread, so a run replays the same way up to Caffeine's
 * own admission jitter (it admits a random share of warm candidates, from {@code ThreadLocalRandom}): distkit's
 * rates move by about two points at most between runs, and the margins asserted are well below the ones measured.
 * The rates are printed; cache/README.md ("Hit rate") shows them.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalCacheHitRateTest {

  static final int DISTINCT_KEYS = 100_000;
  static final double EXPONENT = 0.9;
  static final int ZIPF_REQUESTS = 2_000_000;
  static final int SCAN_EVERY = 20_000;
  static final int SCAN_LENGTH = 5_000;
  static final int LOOP_REQUESTS = 1_000_000;
  static final long SEED = 20_150_831;

  private static int[] zipf;
  private static int[] zipfWithScans;

  @BeforeAll
  static void generate() {
    zipf = zipfTrace();
    zipfWithScans = withScans(zipf);
  }

  /** Zipf-distributed requests over {@link #DISTINCT_KEYS} keys; ranks map to keys by a fixed shuffle. */
  static int[] zipfTrace() {
    SplittableRandom random = new SplittableRandom(SEED);
    int[] keyOfRank = new int[DISTINCT_KEYS + 1];
    for (int rank = 1; rank <= DISTINCT_KEYS; rank++) {
      keyOfRank[rank] = rank - 1;
    }
    for (int rank = DISTINCT_KEYS; rank > 1; rank--) { // Fisher-Yates: hot keys are not the small numbers
      int other = 1 + random.nextInt(rank);
      int swap = keyOfRank[rank];
      keyOfRank[rank] = keyOfRank[other];
      keyOfRank[other] = swap;
    }
    ZipfSampler sampler = new ZipfSampler(DISTINCT_KEYS, EXPONENT);
    int[] trace = new int[ZIPF_REQUESTS];
    for (int i = 0; i < trace.length; i++) {
      trace[i] = keyOfRank[sampler.next(random)];
    }
    return trace;
  }

  /**
   * The same requests with a scan after every {@link #SCAN_EVERY} of them: {@link #SCAN_LENGTH} keys in sequence,
   * each requested once and never again (numbered after the Zipf keys).
   */
  static int[] withScans(int[] requests) {
    int scans = requests.length / SCAN_EVERY;
    int[] trace = new int[requests.length + scans * SCAN_LENGTH];
    int next = DISTINCT_KEYS;
    int at = 0;
    for (int i = 0; i < requests.length; i++) {
      trace[at++] = requests[i];
      if ((i + 1) % SCAN_EVERY == 0) {
        for (int j = 0; j < SCAN_LENGTH; j++) {
          trace[at++] = next++;
        }
      }
    }
    return trace;
  }

  /** Keys 0..length-1 requested in order, over and over. */
  static int[] loopTrace(int length, int requests) {
    int[] trace = new int[requests];
    for (int i = 0; i < requests; i++) {
      trace[i] = i % length;
    }
    return trace;
  }

  /** Hits on one trace at one size: distkit's, the plain LRU's and the clairvoyant optimum's. */
  record Hits(String workload, int size, int requests, long distkit, long lru, long optimum) {
    double distkitRate() {
      return (double) distkit / requests;
    }

    double lruRate() {
      return (double) lru / requests;
    }

    double optimumRate() {
      return (double) optimum / requests;
    }
  }

  /** Each trace is replayed once per size, whichever test asks first. */
  private static final Map<String, Hits> measured = new ConcurrentHashMap<>();

  static Hits measure(String workload, int[] trace, int size) {
    return measured.computeIfAbsent(workload + "/" + size, k -> {
      Hits hits = new Hits(workload, size, trace.length, distkitHits(workload, trace, size), lruHits(trace, size),
          BeladyOptimum.hits(trace, size));
      System.out.printf("hit rate %-10s size %,6d %,10d requests: distkit %.4f  LRU %.4f  optimum %.4f%n",
          workload, size, trace.length, hits.distkitRate(), hits.lruRate(), hits.optimumRate());
      return hits;
    });
  }

  /** Replays {@code trace} through a {@link LocalCache} of {@code size} entries, with {@code get(key, loader)}. */
  static long distkitHits(String workload, int[] trace, int size) {
    CacheStats stats;
    try (Cache<Integer, Integer> cache = LocalCache.<Integer, Integer>builder("hit-rate-" + workload)
        .maximumSize(size)
        .defaultTtl(Duration.ofDays(1)) // nothing expires during the replay: only the size bound evicts
        .build()) {
      for (int key : trace) {
        cache.get(key, k -> k);
      }
      stats = cache.stats();
    }
    // the counts the rate is made of: every read counted once, every miss loaded once (one thread)
    assertThat(stats.hits() + stats.misses()).isEqualTo(trace.length);
    assertThat(stats.loads()).isEqualTo(stats.misses());
    assertThat(stats.evictions()).isPositive();
    return stats.hits();
  }

  /** A plain LRU: a LinkedHashMap in access order that drops its eldest entry past {@code size}. */
  static long lruHits(int[] trace, int size) {
    Map<Integer, Integer> lru = new LinkedHashMap<>(size * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
        return size() > size;
      }
    };
    long hits = 0;
    for (int key : trace) {
      if (lru.get(key) != null) {
        hits++;
      } else {
        lru.put(key, key);
      }
    }
    return hits;
  }

  @ParameterizedTest(name = "cache of {0} entries")
  @ValueSource(ints = {1_000, 10_000}) // 1% and 10% of the distinct keys
  void onZipfBetterThanLruAndNearTheBestAnyCacheCanDo(int size) {
    Hits hits = measure("zipf", zipf, size);

    // measured: 7 to 10 points above LRU
    assertThat(hits.distkitRate()).isGreaterThanOrEqualTo(hits.lruRate() + 0.03);
    // on independent draws no cache that does not know the future beats holding the likeliest keys (in
    // expectation; 2M draws put the noise near 0.0004), nor Belady's clairvoyant optimum on this very trace
    double likeliestKeys = new ZipfSampler(DISTINCT_KEYS, EXPONENT).cumulativeProbability(size);
    assertThat(hits.distkitRate()).isLessThanOrEqualTo(likeliestKeys + 0.005);
    assertThat(hits.lruRate()).isLessThanOrEqualTo(likeliestKeys + 0.005);
    assertThat(hits.optimum()).isGreaterThanOrEqualTo(Math.max(hits.distkit(), hits.lru()));
    // measured: distkit reaches 94-95% (1,000 entries) and 95-96% (10,000) of it
    assertThat(hits.distkitRate()).isGreaterThanOrEqualTo(likeliestKeys * 0.85);
  }

  @ParameterizedTest(name = "cache of {0} entries")
  @ValueSource(ints = {1_000, 10_000})
  void scansDoNotFlushTheHotKeys(int size) {
    Hits polluted = measure("zipf+scans", zipfWithScans, size);
    Hits clean = measure("zipf", zipf, size);

    // measured: 8 to 10 points above LRU
    assertThat(polluted.distkitRate()).isGreaterThanOrEqualTo(polluted.lruRate() + 0.04);
    // scan keys never hit, so the hits are all on the Zipf requests: the scans cost distkit under a point there
    // (measured), LRU 0.5 point at 1,000 entries and 6 points at 10,000
    double onZipfRequests = (double) polluted.distkit() / ZIPF_REQUESTS;
    assertThat(onZipfRequests).isGreaterThanOrEqualTo(clean.distkitRate() - 0.02);
    assertThat(polluted.optimum()).isGreaterThanOrEqualTo(Math.max(polluted.distkit(), polluted.lru()));
  }

  @ParameterizedTest(name = "cache of {0} entries")
  @ValueSource(ints = {1_000, 10_000})
  void aLoopLargerThanTheCacheStillHits(int size) {
    Hits hits = measure("loop", loopTrace(size * 3 / 2, LOOP_REQUESTS), size);

    assertThat(hits.lru()).isZero(); // LRU always evicts the key needed next
    assertThat(hits.distkitRate()).isGreaterThanOrEqualTo(0.3); // measured: 0.55 to 0.59
    assertThat(hits.optimum()).isGreaterThanOrEqualTo(hits.distkit());
  }

  @Test
  void theOptimumAndTheLruCountAsWorkedByHand() {
    // size 2, trace a b c a b d a: MIN keeps a and b (c and d never come back): hits at a, b, a
    int[] trace = {0, 1, 2, 0, 1, 3, 0};
    assertThat(BeladyOptimum.hits(trace, 2)).isEqualTo(3);
    // LRU of 2: a b c evicts a, a evicts b, b evicts c, d evicts a, a misses: no hit
    assertThat(lruHits(trace, 2)).isZero();
    // a loop of 3 in a cache of 2: MIN keeps a and b and lets every c pass (bypass): 4 hits; LRU none
    int[] loop = loopTrace(3, 9);
    assertThat(BeladyOptimum.hits(loop, 2)).isEqualTo(4);
    assertThat(lruHits(loop, 2)).isZero();
  }
}
