package io.distkit.pool.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.session.Backoff;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PooledObjectFactory;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Four threads borrowing through a least-outstanding balancer while one of three endpoints fails and recovers: it
 * leaves rotation after its failures (no pick of it while out), and comes back with the first probe that passes.
 */
class LoadBalancerUnderLoadTest {

  @Test
  void anEndpointFailingUnderLoadLeavesRotationAndComesBackWhenItRecovers() throws Exception {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    Set<String> down = ConcurrentHashMap.newKeySet();
    List<ObjectPool<String>> pools = new ArrayList<>();
    LoadBalancerBuilder<String> builder = LoadBalancer.<String>builder("load").clock(clock).scheduler(scheduler)
        .strategy(BalanceStrategy.leastOutstanding()).ejectAfter(5).healthCheckInterval(Duration.ZERO)
        .probeBackoff(Backoff.fixed(Duration.ofSeconds(1))).healthCheck(id -> !down.contains(id));
    for (String id : List.of("a", "b", "c")) {
      PooledObjectFactory<String> objects = () -> id;
      ObjectPool<String> pool = LocalObjectPool.builder(id, objects).maxSize(8).minIdle(8).clock(clock)
          .scheduler(scheduler).healthCheckInterval(Duration.ofDays(1)).build();
      pools.add(pool);
      builder.endpoint(Endpoint.of(id, pool));
    }
    scheduler.runDue();
    LoadBalancer<String> balancer = builder.build();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicBoolean ejected = new AtomicBoolean();
    AtomicLong picksOfBWhileOut = new AtomicLong();
    AtomicLong picks = new AtomicLong();
    List<Throwable> failures = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        try {
          while (running.get()) {
            boolean outBefore = ejected.get();
            try (BalancedLease<String> lease = balancer.acquire(Duration.ofSeconds(5))) {
              picks.incrementAndGet();
              if (lease.endpoint().equals("b")) {
                if (outBefore) {
                  picksOfBWhileOut.incrementAndGet();
                }
                if (down.contains("b")) {
                  lease.failed(new IllegalStateException("b is failing"));
                }
              }
            }
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> picks.get() > 1_000);
      down.add("b");
      await().atMost(Duration.ofSeconds(10)).until(() -> !balancer.stats().get(1).healthy());
      ejected.set(true);
      long out = picks.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> picks.get() > out + 5_000);
      assertThat(picksOfBWhileOut.get()).as("no pick of b while it was out").isZero();
      scheduler.advance(Duration.ofSeconds(3)); // probes fail while b is down
      assertThat(balancer.stats().get(1).healthy()).isFalse();

      down.remove("b");
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(balancer.stats().get(1).healthy()).as("back after a passing probe").isTrue();
      ejected.set(false);
      long back = balancer.stats().get(1).picks();
      await().atMost(Duration.ofSeconds(10)).until(() -> balancer.stats().get(1).picks() > back + 100);
    } finally {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
      balancer.close();
      pools.forEach(ObjectPool::close);
      scheduler.close();
    }
    assertThat(failures).isEmpty();
    assertThat(balancer.stats()).extracting(EndpointStats::outstanding).containsOnly(0);
  }
}
