package io.distkit.benchmarks.locks;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;
import java.time.Duration;
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

/**
 * An uncontended Redis lock: each thread takes and releases a lock of its own, 1 and 4 threads, beside Redisson's
 * {@code RLock} on the same server.
 */
@ReportGroup(
    title = "Redis lock, uncontended",
    about = "Lock cycles (acquire, then release) per millisecond, on a `redis-server` each trial starts for itself "
        + "on loopback, by 1 and 4 threads, each thread on a lock of its own (no waiting). Both hold a fixed 30 s "
        + "lease: distkit `tryAcquire(name, 0, fixed(30 s))` then `release()`, with its defaults (server time, a "
        + "fencing token per grant); Redisson `RLock.tryLock(0, 30, SECONDS)` then `unlock()`, its own client with "
        + "defaults. commands/op is per cycle, counted by the server (`INFO commandstats`).")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RedisLockBenchmark {

  /** distkit's Redis lock service. */
  public static final String DISTKIT = ReportGroup.OURS_PREFIX + "lock";

  /** Redisson's {@code RLock}. */
  public static final String REDISSON = "redisson-rlock";

  /** The lock under test. */
  @Param({DISTKIT, REDISSON})
  public String implementation;

  private BenchmarkRedis redis;
  private String tag = "";
  private final AtomicInteger threads = new AtomicInteger();
  private @Nullable LockService distkit;
  private @Nullable RedissonClient redisson;

  /** One lock per thread: its name, and Redisson's object for it. */
  @State(Scope.Thread)
  public static class OwnLock {
    String name = "";
    @Nullable RLock rlock;

    /**
     * Names this thread's lock.
     *
     * @param bench the trial
     */
    @Setup(Level.Trial)
    public void setUp(RedisLockBenchmark bench) {
      name = bench.tag + ":lock-" + bench.threads.incrementAndGet();
      if (bench.redisson != null) {
        rlock = bench.redisson.getLock(name);
      }
    }
  }

  /** Starts the trial's Redis and the implementation's client. */
  @Setup(Level.Trial)
  public void setUp() {
    tag = TestKeys.unique("bench");
    redis = BenchmarkRedis.open(tag);
    if (implementation.equals(DISTKIT)) {
      distkit = RedisLockService.builder(RedisBackend.create(redis.client())).build();
    } else {
      Config config = new Config();
      config.useSingleServer().setAddress(redis.uri().toString());
      redisson = Redisson.create(config);
    }
  }

  /** Closes the client, then the Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (distkit != null) {
        distkit.close();
      }
      if (redisson != null) {
        redisson.shutdown();
      }
    } finally {
      redis.close();
    }
  }

  private boolean cycle(OwnLock lock) throws InterruptedException {
    LockService locks = distkit;
    if (locks != null) {
      LockHandle held = locks.tryAcquire(lock.name, Duration.ZERO, LockLease.fixed(Duration.ofSeconds(30)))
          .orElseThrow(() -> new IllegalStateException("an uncontended lock was refused"));
      return held.release();
    }
    RLock rlock = Objects.requireNonNull(lock.rlock);
    if (!rlock.tryLock(0, 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("an uncontended lock was refused");
    }
    rlock.unlock();
    return true;
  }

  /**
   * One thread.
   *
   * @param lock the thread's lock
   * @return whether the release found the lock held, consumed by JMH
   * @throws InterruptedException never: nothing waits
   */
  @Benchmark
  @Threads(1)
  public boolean oneThread(OwnLock lock) throws InterruptedException {
    return cycle(lock);
  }

  /**
   * Four threads, each on its own lock.
   *
   * @param lock the thread's lock
   * @return whether the release found the lock held, consumed by JMH
   * @throws InterruptedException never: nothing waits
   */
  @Benchmark
  @Threads(4)
  public boolean fourThreads(OwnLock lock) throws InterruptedException {
    return cycle(lock);
  }
}
