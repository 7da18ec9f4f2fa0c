package io.distkit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.testing.RedisCluster;
import io.distkit.core.testing.RedisSentinel;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.ratelimit.RateLimitDecision.Source;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis limiter across a failover: the master that holds a hot key is killed (SIGKILL) while threads keep
 * deciding, and its replica takes over. Three limiters decide side by side on the same key's slot, one per
 * {@link FailurePolicy}, each as two instances (two JVMs: two clients) of two threads. Every decision is recorded;
 * the tests check what each policy may do during the outage and that decisions come from Redis again after it,
 * and print what each policy did and how many permits were admitted beyond the limit (the README quotes them).
 *
 * <p>Nothing here depends on how fast the failover is: waits are bounded generously, the assertions are about
 * which answers were given, not when.
 */
class RedisRateLimiterFailoverTest {

  /** 100 per second, bursts of 100: well below what the threads ask for, so the limit is what admits. */
  private static final long LIMIT = 100;
  private static final long PERIOD_MICROS = 1_000_000;
  private static final RateLimit HOT = RateLimit.of(Algorithm.GCRA, LIMIT, Duration.ofSeconds(1));
  private static final int INSTANCES = 2;
  private static final int THREADS_PER_INSTANCE = 2;
  private static final Duration PACE = Duration.ofMillis(1); // between one thread's decisions
  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void clusterFailoverOfTheHotKeysMaster() throws Exception {
    try (RedisCluster cluster = RedisServers.startCluster(3, 1);
        RedisClusterClient first = cluster.newClient(CLIENT_TIMEOUT);
        RedisClusterClient second = cluster.newClient(CLIENT_TIMEOUT)) {
      String key = TestKeys.unique("hot");
      String slot = "{" + key + "}"; // every Redis key of this user key has this hash tag
      Run run = new Run(key, List.of(first, second));
      RedisServerProcess victim = cluster.masterFor(slot);
      run.start();
      run.awaitDecisionsFromRedis();
      run.kill(victim);
      cluster.awaitHealthy(WAIT);
      assertThat(cluster.masterFor(slot)).as("a replica took over the slot").isNotSameAs(victim);
      run.awaitRecovery();
      run.stop();
      run.report("Redis Cluster (3 masters, 1 replica each)");
      run.check();
    }
  }

  @Test
  void sentinelFailoverOfTheMaster() throws Exception {
    try (RedisSentinel sentinel = RedisSentinel.start();
        RedisSentinelClient first = sentinel.newClient(CLIENT_TIMEOUT);
        RedisSentinelClient second = sentinel.newClient(CLIENT_TIMEOUT)) {
      Run run = new Run(TestKeys.unique("hot"), List.of(first, second));
      HostAndPort master = sentinel.currentMaster();
      run.start();
      run.awaitDecisionsFromRedis();
      run.kill(sentinel.master());
      assertThat(sentinel.awaitFailover(master, WAIT)).as("the replica was promoted")
          .isEqualTo(sentinel.replica().hostAndPort());
      run.awaitRecovery();
      run.stop();
      run.report("Redis Sentinel (master, replica, 3 sentinels)");
      run.check();
    }
  }

  /** What one decision was. */
  enum Outcome { REDIS_ALLOWED, REDIS_DENIED, FAIL_OPEN, LOCAL_ALLOWED, LOCAL_DENIED, UNAVAILABLE, OTHER_ERROR }

  /** One decision: when it was asked (µs, monotonic), when it answered, by which instance, and what it was. */
  record Decision(long from, long to, int instance, Outcome outcome, String error) {}

  /** One policy's limiters and what they decided. */
  static final class Subject {
    final FailurePolicy policy;
    final List<RateLimiter> instances = new ArrayList<>();
    final ConcurrentLinkedQueue<Decision> decisions = new ConcurrentLinkedQueue<>();

    Subject(FailurePolicy policy, String name, List<? extends UnifiedJedis> clients) {
      this.policy = policy;
      for (UnifiedJedis client : clients) {
        instances.add(RedisRateLimiter.builder(client)
            .name(name)
            .limit(HOT)
            .failurePolicy(policy)
            .fallbackShare(1.0 / clients.size())
            .build());
      }
    }

    void decide(int instance, String key) {
      long from = micros();
      Outcome outcome;
      String error = "";
      try {
        RateLimitDecision d = instances.get(instance).tryAcquire(key);
        outcome = switch (d.source()) {
          case LIMITER -> d.allowed() ? Outcome.REDIS_ALLOWED : Outcome.REDIS_DENIED;
          case FAIL_OPEN -> d.allowed() ? Outcome.FAIL_OPEN : Outcome.OTHER_ERROR;
          case LOCAL_FALLBACK -> d.allowed() ? Outcome.LOCAL_ALLOWED : Outcome.LOCAL_DENIED;
        };
      } catch (BackendUnavailableException e) {
        outcome = Outcome.UNAVAILABLE;
      } catch (RuntimeException e) {
        outcome = Outcome.OTHER_ERROR;
        error = e.toString();
      }
      decisions.add(new Decision(from, micros(), instance, outcome, error));
    }

    List<Decision> after(long micros) {
      return decisions.stream().filter(d -> d.from() >= micros).toList();
    }

    /** The first decision from Redis after the last one that was not, if the policy answered at all. */
    boolean recoveredAfter(long killed) {
      List<Decision> since = after(killed).stream().sorted((a, b) -> Long.compare(a.from(), b.from())).toList();
      long lastOther = since.stream().filter(d -> !fromRedis(d)).mapToLong(Decision::to).max().orElse(killed);
      // a second of decisions from Redis after the policy's last answer
      return since.stream().filter(d -> fromRedis(d) && d.from() > lastOther).mapToLong(Decision::from).max()
          .orElse(lastOther) - lastOther > 1_000_000;
    }

    AdmissionHistory admissions(Outcome... kinds) {
      AdmissionHistory history = new AdmissionHistory();
      for (Decision d : decisions) {
        for (Outcome kind : kinds) {
          if (d.outcome() == kind) {
            history.record(d.from(), d.to(), 1);
          }
        }
      }
      return history;
    }
  }

  static boolean fromRedis(Decision d) {
    return d.outcome() == Outcome.REDIS_ALLOWED || d.outcome() == Outcome.REDIS_DENIED;
  }

  static long micros() {
    return System.nanoTime() / 1000;
  }

  /** Three subjects, one per policy, under load on one key. */
  static final class Run {
    final String key;
    final Map<FailurePolicy, Subject> subjects = new EnumMap<>(FailurePolicy.class);
    final AtomicBoolean running = new AtomicBoolean(true);
    final ExecutorService threads;
    final List<Future<?>> load = new ArrayList<>();
    long started;
    long killed;

    Run(String key, List<? extends UnifiedJedis> clients) {
      this.key = key;
      for (FailurePolicy policy : FailurePolicy.values()) {
        // the same user key: the same hash tag, so every policy's state lives on the master that is killed
        subjects.put(policy, new Subject(policy, TestKeys.unique(policy.name().toLowerCase().replace('_', '-')),
            clients));
      }
      threads = Executors.newFixedThreadPool(subjects.size() * INSTANCES * THREADS_PER_INSTANCE);
    }

    void start() {
      started = micros();
      for (Subject subject : subjects.values()) {
        for (int instance = 0; instance < INSTANCES; instance++) {
          for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
            int i = instance;
            load.add(threads.submit(() -> {
              while (running.get()) {
                subject.decide(i, key);
                LockSupport.parkNanos(PACE.toNanos());
              }
            }));
          }
        }
      }
    }

    /** Every policy has made decisions through Redis for a while (a full bucket used up, and then some). */
    void awaitDecisionsFromRedis() {
      await("decisions from Redis").atMost(WAIT).until(() -> subjects.values().stream().allMatch(s ->
          s.decisions.stream().filter(d -> d.outcome() == Outcome.REDIS_DENIED).count() > 100));
    }

    void kill(RedisServerProcess master) {
      killed = micros();
      master.kill();
    }

    void awaitRecovery() {
      await("every policy deciding through Redis again").atMost(WAIT).pollInterval(Duration.ofMillis(100))
          .until(() -> subjects.values().stream().allMatch(s -> s.recoveredAfter(killed)));
    }

    void stop() throws Exception {
      running.set(false);
      for (Future<?> f : load) {
        f.get(30, TimeUnit.SECONDS);
      }
      threads.shutdown();
    }

    void report(String deployment) {
      System.out.printf("%s, master killed; GCRA %d/s (burst %d), %d instances x %d threads, a decision per"
          + " thread every %d ms; %.1f s of load%n", deployment, LIMIT, LIMIT, INSTANCES, THREADS_PER_INSTANCE,
          PACE.toMillis(), (micros() - started) / 1e6);
      for (Subject s : subjects.values()) {
        List<Decision> since = s.after(killed);
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        since.stream().filter(d -> !fromRedis(d)).forEach(d -> counts.merge(d.outcome(), 1L, Long::sum));
        long firstOther = since.stream().filter(d -> !fromRedis(d)).mapToLong(Decision::from).min().orElse(killed);
        long lastOther = since.stream().filter(d -> !fromRedis(d)).mapToLong(Decision::to).max().orElse(killed);
        long back = since.stream().filter(d -> fromRedis(d) && d.from() > lastOther).mapToLong(Decision::to).min()
            .orElse(lastOther);
        AdmissionHistory all = s.admissions(Outcome.REDIS_ALLOWED, Outcome.FAIL_OPEN, Outcome.LOCAL_ALLOWED);
        System.out.printf("  %-17s the policy answered %s from %.2f s to %.2f s after the kill, Redis again from"
                + " %.2f s; admitted beyond the limit: %d over the run, %d in the worst second%n",
            s.policy, counts.isEmpty() ? "nothing" : counts, (firstOther - killed) / 1e6, (lastOther - killed) / 1e6,
            (back - killed) / 1e6, all.excessOverall(LIMIT, PERIOD_MICROS, LIMIT),
            all.excessWithin(PERIOD_MICROS, LIMIT, PERIOD_MICROS, LIMIT));
      }
    }

    void check() {
      for (Subject s : subjects.values()) {
        assertThat(s.decisions).as(s.policy + ": no other error, no fail-open denial")
            .noneMatch(d -> d.outcome() == Outcome.OTHER_ERROR);
        assertThat(s.decisions.stream().filter(d -> d.to() < killed)).as(s.policy + ": Redis decided before")
            .allMatch(RedisRateLimiterFailoverTest::fromRedis);
        List<Outcome> allowed = switch (s.policy) {
          case FAIL_CLOSED -> List.of(Outcome.UNAVAILABLE);
          case FAIL_OPEN -> List.of(Outcome.FAIL_OPEN);
          case FALLBACK_TO_LOCAL -> List.of(Outcome.LOCAL_ALLOWED, Outcome.LOCAL_DENIED);
        };
        assertThat(s.decisions.stream().filter(d -> !fromRedis(d))).as(s.policy + ": only its own answers")
            .allMatch(d -> allowed.contains(d.outcome()));
        assertThat(s.recoveredAfter(killed)).as(s.policy + ": Redis decides again").isTrue();
      }
      // beyond the limit: fail closed, at most the grants the replica had not received when its master died (a
      // burst is far more than that); the fallback, its JVMs' local shares while it answered (one burst and the
      // limit's rate between them, each rounded up), plus as many lost grants
      AdmissionHistory closed = subjects.get(FailurePolicy.FAIL_CLOSED).admissions(Outcome.REDIS_ALLOWED);
      assertThat(closed.excessOverall(LIMIT, PERIOD_MICROS, LIMIT)).as("FAIL_CLOSED beyond the limit")
          .isLessThanOrEqualTo(LIMIT);
      // each JVM's local fallback enforces its share of the limit, whatever the failover did
      Subject local = subjects.get(FailurePolicy.FALLBACK_TO_LOCAL);
      for (int instance = 0; instance < INSTANCES; instance++) {
        AdmissionHistory history = new AdmissionHistory();
        int i = instance;
        local.decisions.stream().filter(d -> d.instance() == i && d.outcome() == Outcome.LOCAL_ALLOWED)
            .forEach(d -> history.record(d.from(), d.to(), 1));
        long share = LIMIT / INSTANCES;
        history.checkGuarantee(Algorithm.GCRA, share, PERIOD_MICROS, share);
      }
      long answeredMicros = local.decisions.stream().filter(d -> !fromRedis(d)).mapToLong(Decision::to).max()
          .orElse(killed) - killed;
      AdmissionHistory fallback = local.admissions(Outcome.REDIS_ALLOWED, Outcome.LOCAL_ALLOWED);
      assertThat(fallback.excessOverall(LIMIT, PERIOD_MICROS, LIMIT)).as("FALLBACK_TO_LOCAL beyond the limit")
          .isLessThanOrEqualTo(2 * LIMIT + Math.floorDiv(LIMIT * answeredMicros, PERIOD_MICROS) + INSTANCES);
    }
  }
}
