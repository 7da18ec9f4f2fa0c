package io.distkit.benchmarks.locks;

import io.distkit.benchmarks.profile.TrialFiguresProfiler;
import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.RedisClient;

/**
 * One Redis lock under contention: 8 threads of 4 clients (2 threads each, as 4 JVMs of a fleet would be) take and
 * release one lock name as fast as they can, for distkit's {@code RedisLockService} beside Redisson's {@code RLock}
 * and {@code RFairLock} on the same server. Throughput is grants per millisecond; {@link HandOffRecorder} times
 * each hand-off and each wait, and the {@link TrialFiguresProfiler} reports their percentiles over all measured
 * iterations.
 */
@ReportGroup(
    title = "Redis lock, hand-off under contention",
    about = "Grants per millisecond of one lock name that 8 threads take and release in a loop (no work while "
        + "holding it), on a `redis-server` each trial starts for itself on loopback. The threads belong to 4 "
        + "clients, 2 each, as in 4 JVMs: distkit, 4 `RedisLockService`s with their defaults, each on its own Jedis "
        + "`RedisClient` (so its own notification channel and pub/sub connection), calling "
        + "`tryAcquire(name, 60 s, fixed(30 s))` then `release()`; Redisson, 4 clients with defaults, "
        + "`getLock(name)` (`RLock`, not fair) or `getFairLock(name)` (`RFairLock`), `tryLock(60, 30, SECONDS)` then "
        + "`unlock()`. The holder of the moment times, in the one JVM (`System.nanoTime`), the *hand-off*: from the "
        + "start of the previous holder's `release()`/`unlock()` to the return of its own acquire call, when it is "
        + "another thread (`regrants` is the share of grants that went back to the thread that released last, "
        + "which time no hand-off), and its *wait*, from its acquire call to the return. Percentiles come from a "
        + "histogram of every hand-off (and wait) of all measured iterations together, with buckets 3.1% wide (a "
        + "percentile is its bucket's upper bound, at most 3.1% high; the max is exact); `handoff count` is how "
        + "many it holds. commands/op is per grant, counted by the server (`INFO commandstats`); each grant's "
        + "cycle is one acquire call and one release, so the script calls (`evalsha`) per grant less two are the "
        + "acquire attempts after the caller's first request (the target below).")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RedisLockHandOffBenchmark {

  /** distkit's Redis lock service, as in the uncontended group. */
  private static final String DISTKIT = RedisLockBenchmark.DISTKIT;

  /** Redisson's {@code RLock} ({@code getLock}): not fair, a released lock goes to whoever asks first. */
  private static final String REDISSON = RedisLockBenchmark.REDISSON;

  /** Redisson's {@code RFairLock} ({@code getFairLock}): first come, first served. */
  public static final String REDISSON_FAIR = "redisson-fairlock";

  /** The clients (JVMs of a fleet) the threads are spread over. */
  static final int CLIENTS = 4;

  /** How long a caller is willing to wait: far longer than any hand-off, so every call is granted. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Every grant's lease: fixed, so neither library renews anything while the benchmark runs. */
  private static final Duration LEASE = Duration.ofSeconds(30);

  /** The lock under test. */
  @Param({DISTKIT, REDISSON, REDISSON_FAIR})
  public String implementation;

  private BenchmarkRedis redis;
  private String name = "";
  private final AtomicInteger threads = new AtomicInteger();
  private final HandOffRecorder recorder = new HandOffRecorder();
  private final List<RedisClient> jedisClients = new ArrayList<>();
  private final List<LockService> services = new ArrayList<>();
  private final List<RedissonClient> redissons = new ArrayList<>();
  private final List<RLock> rlocks = new ArrayList<>();

  /** One contending thread: its number, and the lock of its client. */
  @State(Scope.Thread)
  public static class Contender {
    int number;
    @Nullable LockService service;
    @Nullable RLock rlock;

    /**
     * Numbers this thread and gives it the lock of client {@code number % 4}.
     *
     * @param bench the trial
     */
    @Setup(Level.Trial)
    public void setUp(RedisLockHandOffBenchmark bench) {
      number = bench.threads.getAndIncrement();
      int client = number % CLIENTS;
      service = bench.services.isEmpty() ? null : bench.services.get(client);
      rlock = bench.rlocks.isEmpty() ? null : bench.rlocks.get(client);
    }
  }

  /** Starts the trial's Redis and the implementation's clients, one lock object per client. */
  @Setup(Level.Trial)
  public void setUp() {
    String tag = TestKeys.unique("bench");
    name = tag + ":handoff";
    redis = BenchmarkRedis.open(tag);
    for (int i = 0; i < CLIENTS; i++) {
      switch (implementation) {
        case DISTKIT -> {
          RedisClient jedis = redis.newClient();
          jedisClients.add(jedis);
          services.add(RedisLockService.builder(RedisBackend.create(jedis)).build());
        }
        case REDISSON, REDISSON_FAIR -> {
          Config config = new Config();
          config.useSingleServer().setAddress(redis.uri().toString());
          RedissonClient redisson = Redisson.create(config);
          redissons.add(redisson);
          rlocks.add(implementation.equals(REDISSON) ? redisson.getLock(name) : redisson.getFairLock(name));
        }
        default -> throw new IllegalArgumentException("implementation (" + implementation + ") is not one of "
            + List.of(DISTKIT, REDISSON, REDISSON_FAIR));
      }
    }
    TrialFiguresProfiler.publish(recorder);
  }

  /** Before each iteration: the last release of the previous one is not a hand-off to time. */
  @Setup(Level.Iteration)
  public void newIteration() {
    recorder.newIteration();
  }

  /** Closes the clients, then the Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    TrialFiguresProfiler.withdraw(recorder);
    try {
      services.forEach(LockService::close);
      redissons.forEach(RedissonClient::shutdown);
      jedisClients.forEach(RedisClient::close);
    } finally {
      redis.close();
    }
  }

  /**
   * Eight threads, two per client, on one lock name: one grant and its release.
   *
   * @param me the calling thread
   * @return whether the release found the lock held, consumed by JMH
   * @throws InterruptedException never: nothing interrupts the benchmark's threads
   */
  @Benchmark
  @Threads(2 * CLIENTS)
  public boolean eightThreads(Contender me) throws InterruptedException {
    long asked = System.nanoTime();
    LockService service = me.service;
    if (service != null) {
      LockHandle held = service.tryAcquire(name, WAIT, LockLease.fixed(LEASE))
          .orElseThrow(() -> new IllegalStateException("no grant within " + WAIT));
      recorder.granted(me.number, asked);
      recorder.releasing(me.number);
      return held.release();
    }
    RLock rlock = Objects.requireNonNull(me.rlock);
    if (!rlock.tryLock(WAIT.toSeconds(), LEASE.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("no grant within " + WAIT);
    }
    recorder.granted(me.number, asked);
    recorder.releasing(me.number);
    rlock.unlock();
    return true;
  }
}
