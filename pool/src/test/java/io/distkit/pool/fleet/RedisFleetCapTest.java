package io.distkit.pool.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.ChildJvm;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;
import io.distkit.pool.object.DestroyReason;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolListener;
import io.distkit.pool.object.PooledObjectFactory;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * The fleet cap on a Redis server of its own (flushed by one test): a borrow costs no command, a lost permit
 * retires its object, and a JVM killed with SIGKILL gives its permits back within the lease and the pool's backoff.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisFleetCapTest {

  private static RedisServerProcess redis;

  private final String name = TestKeys.unique("fleet");
  private final Scheduler scheduler = Scheduler.create("fleet-redis-test");
  private final RedisClient client = redis.newClient();
  private final LockService locks = RedisLockService.builder(RedisBackend.create(client)).build();
  private final PooledObjectFactory<Object> objects = Object::new;

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.startStandalone();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void tearDown() {
    locks.close();
    client.close();
    scheduler.close();
  }

  @Test
  void borrowingAndGivingBackAnExistingObjectSendsNoCommand() throws Exception {
    FleetCap cap = FleetCap.of(locks.semaphore(name, 5)).withLease(Duration.ofMinutes(1)); // no renewal meanwhile
    try (ObjectPool<Object> pool = LocalObjectPool.builder("capped", cap.limit(objects)).scheduler(scheduler)
        .build()) {
      pool.acquire(Duration.ofSeconds(10)).close(); // created under a permit: commands
      CommandStats before = redis.commandStats();
      for (int i = 0; i < 1_000; i++) {
        try (Lease<Object> lease = pool.acquire(Duration.ofSeconds(1))) {
          assertThat(lease.get()).isNotNull();
        }
      }
      CommandStats sent = redis.commandStats().minus(before);
      // the only traffic allowed meanwhile is the lock service's pub/sub keep-alive and INFO itself
      assertThat(sent.calls().keySet()).as(sent.toString()).isSubsetOf("ping", "info");
    }
  }

  @Test
  void anObjectWhosePermitWasLostFailsValidationAndIsReplacedUnderANewPermit() throws Exception {
    List<DestroyReason> destroyed = new CopyOnWriteArrayList<>();
    FleetCap cap = FleetCap.of(locks.semaphore(name, 1)).withLease(Duration.ofSeconds(2));
    try (ObjectPool<Object> pool = LocalObjectPool.builder("capped", cap.limit(objects)).scheduler(scheduler)
        .validateAfterIdle(Duration.ZERO).listener(new PoolListener() {
          @Override
          public void onDestroyed(String pool, DestroyReason reason) {
            destroyed.add(reason);
          }
        }).build()) {
      Object first;
      try (Lease<Object> lease = pool.acquire(Duration.ofSeconds(10))) {
        first = lease.get();
      }
      try (Jedis admin = redis.connect()) {
        admin.flushAll(); // the permit's state is gone: its next renewal fails and the lease is lost
      }
      Object replaced = await().atMost(Duration.ofSeconds(10)).until(() -> {
        try (Lease<Object> lease = pool.acquire(Duration.ofSeconds(5))) {
          return lease.get();
        }
      }, object -> object != first);
      assertThat(replaced).isNotSameAs(first);
      // destroyed on a scheduler thread, after the failed validation
      await().atMost(Duration.ofSeconds(10)).until(() -> destroyed.contains(DestroyReason.VALIDATION_FAILED));
      assertThat(locks.semaphore(name, 1).inspect().holders()).as("the new object's permit").isEqualTo(1);
    }
  }

  @Test
  void permitsOfAJvmKilledWithSigkillComeBackWithinTheLeaseAndThePoolsBackoff() throws Exception {
    Duration lease = Duration.ofSeconds(2);
    try (ChildJvm child = ChildJvm.start(CappedPoolProcess.class, RedisServerProcess.HOST,
        Integer.toString(redis.port()), name, "2", Long.toString(lease.toMillis()), "2")) {
      child.awaitLine("holding"::equals, Duration.ofSeconds(60));
      FleetCap cap = FleetCap.of(locks.semaphore(name, 2)).withLease(Duration.ofSeconds(10));
      try (ObjectPool<Object> pool = LocalObjectPool.builder("capped", cap.limit(objects)).scheduler(scheduler)
          .build()) {
        assertThat(pool.tryAcquire(Duration.ofMillis(200))).as("the child holds both permits").isEmpty();
        long killedAt = System.nanoTime();
        child.kill();
        Lease<Object> one = pool.acquire(Duration.ofSeconds(20));
        Lease<Object> two = pool.acquire(Duration.ofSeconds(20));
        Duration back = Duration.ofNanos(System.nanoTime() - killedAt);
        // the child renewed its 2 s leases about every 0.7 s: more than a second of them was left at the kill
        assertThat(back).as("not while the killed JVM's leases ran").isGreaterThan(Duration.ofSeconds(1));
        // the lease (2 s), then the pool's next creation attempt (its backoff is at most 1 s), with 500 ms for a
        // loaded machine's scheduling and round trips
        assertThat(back).as("back within the lease and the backoff").isLessThan(Duration.ofMillis(3_500));
        one.close();
        two.close();
      }
    }
  }
}
