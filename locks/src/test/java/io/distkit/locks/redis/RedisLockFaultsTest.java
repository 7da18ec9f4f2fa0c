package io.distkit.locks.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.session.Lease;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockListener;
import io.distkit.locks.LockService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** Redis cut off by a proxy: calls fail fast and closed, held locks run out locally, and only FAIL_CLOSED is taken. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisLockFaultsTest {

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final String name = TestKeys.unique("lock");
  private RedisServerProcess server;
  private FaultProxy proxy;
  private RedisClient client;
  private LockService locks;
  private final List<BackendUnavailableException> renewalFailures = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server = RedisServers.startStandalone();
    proxy = FaultProxy.start(server.hostAndPort());
    client = RedisClient.builder().hostAndPort(proxy.hostAndPort())
        .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).socketTimeoutMillis(300).build())
        .build();
    BackendGuard guard = BackendGuard.builder().clock(clock).retryInterval(Duration.ofSeconds(1)).build();
    locks = RedisLockService.builder(RedisBackend.create(client, guard)).timeSource(TimeSource.CLIENT).clock(clock)
        .scheduler(scheduler).leaseCheckInterval(Duration.ofMillis(100)).listener(new LockListener() {
          @Override
          public void onRenewalFailed(BackendUnavailableException failure) {
            renewalFailures.add(failure);
          }
        }).build();
  }

  @AfterEach
  void stop() {
    locks.close();
    scheduler.close();
    client.close();
    proxy.close();
    server.close();
  }

  @Test
  void withRedisCutOffAcquiringFailsClosedAndAHeldLockRunsOutLocally() throws Exception {
    LockHandle held = locks.tryAcquire(name, Duration.ZERO, LockLease.renewed(Duration.ofSeconds(3))).orElseThrow();
    List<Lease.LostReason> lost = new CopyOnWriteArrayList<>();
    held.whenLost((lease, reason) -> lost.add(reason));
    proxy.cut();

    assertThatThrownBy(() -> locks.tryAcquire(name + "-other")).isInstanceOf(BackendUnavailableException.class);
    long start = System.nanoTime();
    assertThatThrownBy(() -> locks.tryAcquire(name + "-other")).isInstanceOf(BackendUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the guard knows: no new timeout")
        .isLessThan(Duration.ofMillis(200));

    // renewals fail; the holder stops counting on the lock at its conservative deadline and hears it
    scheduler.advance(Duration.ofMillis(2_900));
    assertThat(held.isValid()).isTrue();
    scheduler.advance(Duration.ofMillis(100));
    assertThat(held.isValid()).isFalse();
    assertThat(lost).containsExactly(Lease.LostReason.EXPIRED);
    assertThat(renewalFailures).as("the listener heard the failed renewal rounds").isNotEmpty();
    assertThat(locks.stats().renewalFailures()).isEqualTo(renewalFailures.size());
  }

  @Test
  void onlyFailClosedIsAcceptedAndTheOthersAreRefusedWithTheReason() {
    RedisLockService.Builder builder = RedisLockService.builder(RedisBackend.create(client));
    assertThat(builder.failurePolicy(FailurePolicy.FAIL_CLOSED)).isSameAs(builder);
    assertThatThrownBy(() -> builder.failurePolicy(FailurePolicy.FAIL_OPEN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FAIL_OPEN")
        .hasMessageContaining("lets every caller in at once");
    assertThatThrownBy(() -> builder.failurePolicy(FailurePolicy.FALLBACK_TO_LOCAL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("excludes nobody in other JVMs");
  }
}
