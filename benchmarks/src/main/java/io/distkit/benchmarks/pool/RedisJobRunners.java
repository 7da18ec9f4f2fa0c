package io.distkit.benchmarks.pool;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.redis.RedisJobQueue;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RExecutorService;
import org.redisson.api.RedissonClient;
import org.redisson.api.WorkerOptions;
import org.redisson.config.Config;
import redis.clients.jedis.RedisClient;

/**
 * No-op jobs on one Redis, submitted and run in this JVM, through distkit's {@code RedisJobQueue} or Redisson's
 * {@code RExecutorService}, for {@link RedisJobQueueBenchmark} and {@link RedisJobLatencyBenchmark}. Each job carries
 * the {@link System#nanoTime()} of its submission call; its handler (a no-op otherwise) gives it to the trial's
 * listener when it starts.
 */
public final class RedisJobRunners {

  /** distkit's {@code RedisJobQueue}: {@code submitAll} (one script per call), {@code work(32, handler)}. */
  public static final String DISTKIT = "distkit-redis-queue";

  /** Redisson's {@code RExecutorService}: {@code execute(Runnable...)}, 32 workers registered in this JVM. */
  public static final String REDISSON = "redisson-executor";

  /** The workers each implementation runs (Sidekiq's published run used 30 threads). */
  public static final int WORKERS = 32;

  /**
   * Where Redisson's tasks report: a static (the task object is deserialized by Redisson, possibly in a class loader
   * of its own, and cannot hold a reference to the trial); tasks reach it through the public
   * {@link #redissonTaskStarted}.
   */
  private static volatile @Nullable LongConsumer redissonStarts;

  private RedisJobRunners() {}

  /** Submits no-op jobs; closed before the trial's Redis. */
  public interface Runner extends AutoCloseable {

    /**
     * Submits jobs in one call (distkit: {@code submit} for one, else {@code submitAll}; Redisson:
     * {@code execute(Runnable...)}), each stamped with {@link System#nanoTime()} just before the call.
     *
     * @param jobs how many, at least 1
     */
    void submit(int jobs);

    /** Stops the workers (jobs still queued are dropped with the Redis) and closes the clients. */
    @Override
    void close();
  }

  /**
   * Starts the workers of one implementation.
   *
   * @param implementation {@link #DISTKIT} or {@link #REDISSON}
   * @param redis the trial's Redis
   * @param name a name no other trial uses
   * @param starts given each job's submission time when its handler starts, on the worker's thread
   * @return the runner
   */
  public static Runner create(String implementation, BenchmarkRedis redis, String name, LongConsumer starts) {
    Objects.requireNonNull(starts, "starts");
    return switch (implementation) {
      case DISTKIT -> new DistkitRunner(redis, name, starts);
      case REDISSON -> new RedissonRunner(redis, name, starts);
      default -> throw new IllegalArgumentException("implementation (" + implementation + ") is not one of "
          + List.of(DISTKIT, REDISSON));
    };
  }

  /**
   * Called by a Redisson task when it runs.
   *
   * @param submittedNanos the task's submission time
   */
  public static void redissonTaskStarted(long submittedNanos) {
    LongConsumer starts = redissonStarts;
    if (starts != null) {
      starts.accept(submittedNanos);
    }
  }

  private static final class DistkitRunner implements Runner {
    private final RedisClient client;
    private final JobQueue<Long> queue;
    private final JobWorkers workers;

    DistkitRunner(BenchmarkRedis redis, String name, LongConsumer starts) {
      client = redis.newClient();
      queue = RedisJobQueue.builder(RedisBackend.create(client), name, Codec.longs()).build();
      workers = queue.work(WORKERS, job -> starts.accept(job.payload()));
    }

    @Override
    public void submit(int jobs) {
      Long stamp = System.nanoTime();
      if (jobs == 1) {
        queue.submit(stamp);
      } else {
        queue.submitAll(Collections.nCopies(jobs, stamp), JobOptions.DEFAULT);
      }
    }

    @Override
    public void close() {
      try {
        workers.close(Duration.ofSeconds(5));
        queue.close();
      } finally {
        client.close();
      }
    }
  }

  private static final class RedissonRunner implements Runner {
    private final RedissonClient redisson;
    private final RExecutorService executor;

    RedissonRunner(BenchmarkRedis redis, String name, LongConsumer starts) {
      Config config = new Config();
      config.useSingleServer().setAddress(redis.uri().toString());
      redisson = Redisson.create(config);
      redissonStarts = starts;
      executor = redisson.getExecutorService(name);
      executor.registerWorkers(WorkerOptions.defaults().workers(WORKERS));
    }

    @Override
    public void submit(int jobs) {
      long stamp = System.nanoTime();
      if (jobs == 1) {
        executor.execute(new NoOpTask(stamp));
        return;
      }
      Runnable[] tasks = new Runnable[jobs];
      for (int i = 0; i < jobs; i++) {
        tasks[i] = new NoOpTask(stamp);
      }
      executor.execute(tasks);
    }

    @Override
    public void close() {
      try {
        redisson.shutdown();
      } finally {
        redissonStarts = null;
      }
    }
  }

  /** Redisson's no-op task: it reports its start, nothing else. Public, with a no-argument constructor, for Redisson. */
  public static final class NoOpTask implements Runnable, Serializable {
    private static final long serialVersionUID = 1L;

    /** When it was submitted, by {@link System#nanoTime()}. */
    public long submittedNanos;

    /** For deserialization. */
    public NoOpTask() {}

    NoOpTask(long submittedNanos) {
      this.submittedNanos = submittedNanos;
    }

    @Override
    public void run() {
      redissonTaskStarted(submittedNanos);
    }
  }
}
