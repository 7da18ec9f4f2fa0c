package io.distkit.ratelimit;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendListener;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.ratelimit.RateLimitDecision.Source;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * Redis killed, paused, or cut off by a proxy in the middle of a run: each failure policy does what it says,
 * an outage costs microseconds per decision, and the limiter goes back to Redis when Redis is back.
 */
class RedisRateLimiterFaultsTest {

  private static final Duration RETRY = Duration.ofMillis(500);
  private static final RateLimit TEN_PER_MINUTE = RateLimit.of(Algorithm.TOKEN_BUCKET, 10, ofMinutes(1));

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final String key = TestKeys.unique("client");
  private RedisServerProcess server;
  private FaultProxy proxy;
  private RedisClient client;
  private BackendGuard guard;

  @BeforeEach
  void start() {
    server = RedisServers.startStandalone();
    proxy = FaultProxy.start(server.hostAndPort());
    client = client(proxy.hostAndPort());
  }

  @AfterEach
  void stop() {
    client.close();
    proxy.close();
    server.close();
  }

  private static RedisClient client(HostAndPort address) {
    return RedisClient.builder()
        .hostAndPort(address)
        .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).socketTimeoutMillis(300).build())
        .build();
  }

  private RateLimiter limiter(FailurePolicy policy, double share) {
    guard = BackendGuard.builder().clock(clock).retryInterval(RETRY).build();
    return RedisRateLimiter.builder(RedisBackend.create(client, guard))
        .name(TestKeys.unique("faults"))
        .limit(TEN_PER_MINUTE)
        .failurePolicy(policy)
        .fallbackShare(share)
        .clock(clock)
        .scheduler(scheduler)
        .listener(new RateLimiterListener() {
          @Override
          public void onBackendError(String k, BackendUnavailableException e) {
            events.add(e.isFailFast() ? "error (fast)" : "error");
          }

          @Override
          public void onFallback(String k, FailurePolicy p) {
            events.add("fallback " + p);
          }
        })
        .build();
  }

  @Test
  void failClosedThrowsWhileRedisIsDeadAndRecoversWhenItIsBack() {
    RateLimiter limiter = limiter(FailurePolicy.FAIL_CLOSED, 1.0);
    assertThat(limiter.tryAcquire(key, 3).remaining()).isEqualTo(7);

    server.kill();
    assertThatThrownBy(() -> limiter.tryAcquire(key))
        .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.isFailFast()).isFalse());
    assertThatThrownBy(() -> limiter.tryAcquire(key))
        .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.isFailFast()).isTrue());
    assertThatThrownBy(() -> limiter.acquire(key, 1, Duration.ofSeconds(5)))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(limiter.stats().backendErrors()).isEqualTo(3);
    assertThat(limiter.stats().fallbacks()).isZero();

    server.restart(); // empty: a restarted Redis forgot the key
    clock.advance(RETRY);
    RateLimitDecision back = limiter.tryAcquire(key);
    assertThat(back.source()).isEqualTo(Source.LIMITER);
    assertThat(back.remaining()).isEqualTo(9);
    assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
    assertThat(events).containsExactly("error", "error (fast)", "error (fast)");
  }

  @Test
  void failOpenAllowsWhileRedisIsPausedAndRecoversWhenItResumes() {
    RateLimiter limiter = limiter(FailurePolicy.FAIL_OPEN, 1.0);
    assertThat(limiter.tryAcquire(key, 10).allowed()).isTrue();
    assertThat(limiter.tryAcquire(key).allowed()).isFalse();

    server.pause();
    for (int i = 0; i < 20; i++) {
      RateLimitDecision d = limiter.tryAcquire(key);
      assertThat(d.allowed()).isTrue();
      assertThat(d.source()).isEqualTo(Source.FAIL_OPEN);
      assertThat(d.remaining()).as("the limit's capacity").isEqualTo(10);
    }
    assertThat(limiter.stats().fallbacks()).isEqualTo(20);

    server.resume();
    clock.advance(RETRY);
    RateLimitDecision back = limiter.tryAcquire(key);
    assertThat(back.source()).isEqualTo(Source.LIMITER);
    assertThat(back.allowed()).as("Redis still holds the used-up bucket").isFalse();
    assertThat(events.get(0)).isEqualTo("error");
    assertThat(events).contains("fallback FAIL_OPEN");
  }

  @Test
  void fallbackToLocalEnforcesTheShareWhileTheProxyIsCutAndRedisStateSurvives() {
    RateLimiter limiter = limiter(FailurePolicy.FALLBACK_TO_LOCAL, 0.5);
    assertThat(limiter.tryAcquire(key, 3).remaining()).isEqualTo(7);

    proxy.cut();
    int allowed = 0;
    for (int i = 0; i < 8; i++) {
      RateLimitDecision d = limiter.tryAcquire(key);
      assertThat(d.source()).isEqualTo(Source.LOCAL_FALLBACK);
      if (d.allowed()) {
        allowed++;
      }
    }
    assertThat(allowed).as("half of 10 per minute, in this JVM").isEqualTo(5);
    assertThat(limiter.stats().keys()).isEqualTo(1);

    proxy.heal();
    clock.advance(RETRY);
    RateLimitDecision back = limiter.tryAcquire(key);
    assertThat(back.source()).isEqualTo(Source.LIMITER);
    assertThat(back.remaining()).as("Redis saw 3 + 1; the outage's decisions stayed local").isEqualTo(6);

    clock.advance(ofMinutes(1)); // the fallback's key is fresh again; no call reaches the fallback any more
    clock.advance(Duration.ofSeconds(2));
    assertThat(limiter.stats().keys()).as("forgotten by the sweep on the limiter's scheduler").isZero();
  }

  @Test
  void decisionsDuringAnOutageCostMicrosecondsNotTimeouts() {
    RateLimiter limiter = limiter(FailurePolicy.FALLBACK_TO_LOCAL, 1.0);
    limiter.tryAcquire(key);
    proxy.blackhole();
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      limiter.tryAcquire(key + i % 10);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // one 300 ms client timeout, then 999 fail-fast fallbacks
    assertThat(took).isLessThan(Duration.ofSeconds(1));
    assertThat(guard.stats().fastFailures()).isGreaterThanOrEqualTo(999);
    assertThat(limiter.stats().fallbacks()).isEqualTo(1000);
  }

  @Test
  void resetDuringAnOutageThrowsWhateverThePolicy() {
    for (FailurePolicy policy : FailurePolicy.values()) {
      RateLimiter limiter = limiter(policy, 1.0);
      limiter.tryAcquire(key);
      proxy.cut();
      assertThatThrownBy(() -> limiter.reset(key)).as(policy.name()).isInstanceOf(BackendUnavailableException.class);
      proxy.heal();
      clock.advance(RETRY);
      limiter.reset(key);
      assertThat(limiter.tryAcquire(key, 10).allowed()).isTrue();
    }
  }

  @Test
  void aLimiterOnADeadAddressFailsWithinTheClientTimeout() {
    RedisServerProcess dead = RedisServers.startStandalone();
    dead.kill();
    try (RedisClient unreachable = client(dead.hostAndPort())) {
      RateLimiter limiter = RedisRateLimiter.builder(unreachable).limit(TEN_PER_MINUTE)
          .failurePolicy(FailurePolicy.FAIL_OPEN).build();
      long start = System.nanoTime();
      assertThat(limiter.tryAcquire(key).source()).isEqualTo(Source.FAIL_OPEN);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ofMillis(1000));
    }
  }

  @Test
  void killingEveryPooledConnectionOfAHealthyRedisIsNotAnOutage() throws Exception {
    for (FailurePolicy policy : FailurePolicy.values()) {
      RateLimiter limiter = limiter(policy, 1.0);
      String user = TestKeys.unique("killed");
      BoundRateLimiter handle = limiter.forKey(user);
      // four calls in flight at once: the client's pool holds four connections
      java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        for (java.util.concurrent.Future<?> f : threads.invokeAll(java.util.Collections.nCopies(4,
            () -> client.blpop(0.05, TestKeys.unique("empty"))))) {
          f.get();
        }
      } finally {
        threads.shutdown();
      }
      try (redis.clients.jedis.Jedis admin = server.connect()) {
        assertThat(admin.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams()
            .type(redis.clients.jedis.args.ClientType.NORMAL)
            .skipMe(redis.clients.jedis.params.ClientKillParams.SkipMe.YES))).as(policy.name()).isPositive();
      }
      int allowed = 0;
      for (int i = 0; i < 30; i++) {
        if (i % 2 == 0 ? handle.tryConsume(1) : limiter.tryAcquire(user).allowed()) {
          allowed++;
        }
      }
      assertThat(allowed).as(policy + ": still 10 per minute, decided by Redis").isEqualTo(10);
      assertThat(limiter.stats().backendErrors()).as(policy.name()).isZero();
      assertThat(guard.stats().failures()).as(policy.name()).isZero();
    }
  }

  @Test
  void outOfMemoryUnderNoevictionGoesThroughTheFailurePolicy() {
    RateLimiter open = limiter(FailurePolicy.FAIL_OPEN, 1.0);
    RateLimiter fallback = limiter(FailurePolicy.FALLBACK_TO_LOCAL, 1.0);
    RateLimiter closed = limiter(FailurePolicy.FAIL_CLOSED, 1.0);
    try (redis.clients.jedis.Jedis admin = server.connect()) {
      admin.configSet("maxmemory-policy", "noeviction");
      admin.configSet("maxmemory", "1");
    }
    RateLimitDecision d = open.tryAcquire(key);
    assertThat(d.allowed()).isTrue();
    assertThat(d.source()).isEqualTo(Source.FAIL_OPEN);
    assertThat(fallback.tryAcquire(key).source()).isEqualTo(Source.LOCAL_FALLBACK);
    assertThatThrownBy(() -> closed.tryAcquire(key)).isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("out of memory");
  }

  @Test
  void theBackendListenerHearsCoresEventsWithoutTheKeyAndTheLimitersOwnGuardsOutageAndRecovery() {
    List<String> backend = new CopyOnWriteArrayList<>();
    String name = TestKeys.unique("events");
    RateLimiter limiter = RedisRateLimiter.builder(client) // its own guard, on the system clock
        .name(name)
        .limit(TEN_PER_MINUTE)
        .failurePolicy(FailurePolicy.FALLBACK_TO_LOCAL)
        .backendListener(new BackendListener() {
          @Override
          public void onError(String source, BackendUnavailableException error) {
            backend.add("error " + source);
          }

          @Override
          public void onFallback(String source, FailurePolicy policy) {
            backend.add("fallback " + source + " " + policy);
          }

          @Override
          public void onOutage(String source, Throwable cause) {
            backend.add("outage " + source);
          }

          @Override
          public void onRecovery(String source, Duration outage) {
            backend.add("recovery " + source);
          }
        })
        .build();
    assertThat(limiter.tryAcquire(key).source()).isEqualTo(Source.LIMITER);

    proxy.cut();
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire(key).source()).isEqualTo(Source.LOCAL_FALLBACK);
    }
    String source = "ratelimit:" + name;
    assertThat(backend).containsExactly("outage redis",
        "error " + source, "fallback " + source + " FALLBACK_TO_LOCAL",
        "error " + source, "fallback " + source + " FALLBACK_TO_LOCAL",
        "error " + source, "fallback " + source + " FALLBACK_TO_LOCAL");
    assertThat(limiter.stats().backendErrors()).isEqualTo(3);
    assertThat(limiter.stats().fallbacks()).isEqualTo(3);

    proxy.heal();
    await().atMost(Duration.ofSeconds(30)) // the guard's real 500 ms retry interval must pass
        .until(() -> limiter.tryAcquire(key).source() == Source.LIMITER);
    assertThat(backend).contains("recovery redis");
    assertThat(backend.stream().filter(e -> e.startsWith("outage"))).hasSize(1);
  }

  @Test
  void aClosedClientIsAMisuseWhateverThePolicyNotAnOutageToFailOpenOn() {
    for (FailurePolicy policy : FailurePolicy.values()) {
      RedisClient own = client(proxy.hostAndPort());
      guard = BackendGuard.builder().clock(clock).retryInterval(RETRY).build();
      RateLimiter limiter = RedisRateLimiter.builder(RedisBackend.create(own, guard)).name(TestKeys.unique("closed"))
          .limit(TEN_PER_MINUTE).failurePolicy(policy).build();
      assertThat(limiter.tryAcquire(key).allowed()).isTrue();
      own.close();
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> limiter.tryAcquire(key)).as(policy.name())
            .isInstanceOf(io.distkit.core.DistkitException.class)
            .isNotInstanceOf(BackendUnavailableException.class)
            .hasMessageContaining("client was closed");
      }
      assertThat(limiter.stats().fallbacks()).as(policy + ": no fallback for a misuse").isZero();
      assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
    }
  }
}
