package io.distkit.benchmarks.pool;

import static org.awaitility.Awaitility.await;

import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.testing.TestKeys;
import io.distkit.hashing.LocatorConfig;
import io.distkit.pool.balance.BalanceStrategy;
import io.distkit.pool.balance.BalancedLease;
import io.distkit.pool.balance.Endpoint;
import io.distkit.pool.balance.LoadBalancer;
import io.distkit.pool.balance.LoadBalancerBuilder;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What a load balancer's pick costs: a borrow and return through distkit's {@code LoadBalancer} over four pooled
 * endpoints, per strategy, beside the same borrow and return on one pool directly.
 */
@ReportGroup(
    title = "Load balancer, pick and borrow",
    about = "Borrows and returns per microsecond through `LoadBalancer` over 4 endpoints, each a `LocalObjectPool` "
        + "of 10 counters made before the measurement (so a borrow never waits), 1 thread; health checks off. "
        + "`direct-pool` borrows from one of those pools without a balancer: the difference is the pick (and the "
        + "balancer's lease and its outstanding count). `consistent-hash` is Maglev over the endpoints, keys from "
        + "1,024 strings in turn.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BalancerPickBenchmark {

  /** How many endpoints the balancer spreads over. */
  public static final int ENDPOINTS = 4;
  private static final int KEYS = 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** The strategy, or {@code direct-pool} for no balancer at all. */
  @Param({"direct-pool", "round-robin", "weighted-round-robin", "least-outstanding", "power-of-two-choices",
      "consistent-hash"})
  public String implementation;

  private final List<ObjectPool<Counter>> pools = new ArrayList<>();
  private @Nullable LoadBalancer<Counter> balancer;
  private final String[] keys = new String[KEYS];

  /** Where a thread is in the keys. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = ThreadLocalRandom.current().nextInt(KEYS);
  }

  /** Makes the pools, fills them, and builds the balancer. */
  @Setup(Level.Trial)
  public void setUp() {
    String name = TestKeys.unique("bench");
    for (int k = 0; k < KEYS; k++) {
      keys[k] = "user:" + k;
    }
    LoadBalancerBuilder<Counter> builder = LoadBalancer.<Counter>builder(name).healthCheckInterval(Duration.ZERO);
    for (int e = 0; e < ENDPOINTS; e++) {
      ObjectPool<Counter> pool = LocalObjectPool.builder(name + "-" + e, Counter::new).maxSize(10).minIdle(10)
          .build();
      pools.add(pool);
      builder.endpoint(new Endpoint<>("endpoint-" + e, 1 + e % 2, pool));
    }
    for (ObjectPool<Counter> pool : pools) {
      await().atMost(Duration.ofSeconds(30)).until(() -> pool.stats().idle() == 10);
    }
    BalanceStrategy strategy = switch (implementation) {
      case "direct-pool", "round-robin" -> BalanceStrategy.roundRobin();
      case "weighted-round-robin" -> BalanceStrategy.weightedRoundRobin();
      case "least-outstanding" -> BalanceStrategy.leastOutstanding();
      case "power-of-two-choices" -> BalanceStrategy.powerOfTwoChoices();
      case "consistent-hash" -> BalanceStrategy.consistentHash(LocatorConfig.maglev());
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a strategy");
    };
    balancer = builder.strategy(strategy).build();
  }

  /** Closes the balancer and the pools. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (balancer != null) {
      balancer.close();
    }
    pools.forEach(ObjectPool::close);
  }

  /**
   * One borrow and return, with its pick.
   *
   * @param cursor the thread's place in the keys
   * @return the counter's touches, consumed by JMH
   * @throws InterruptedException never: nothing waits
   */
  @Benchmark
  @Threads(1)
  public long oneThread(Cursor cursor) throws InterruptedException {
    if (implementation.equals("direct-pool")) {
      try (Lease<Counter> lease = pools.get(0).acquire(TIMEOUT)) {
        return lease.get().touch();
      }
    }
    String key = keys[cursor.next++ & (KEYS - 1)];
    try (BalancedLease<Counter> lease = balancer.acquire(key, TIMEOUT)) {
      return lease.get().touch();
    }
  }
}
