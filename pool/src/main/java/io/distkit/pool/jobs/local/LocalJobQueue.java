package io.distkit.pool.jobs.local;

import io.distkit.core.Clock;
import io.distkit.core.internal.Require;
import io.distkit.core.session.Scheduler;
import io.distkit.pool.jobs.JobQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A job queue in this JVM: the semantics of {@link JobQueue} (delays, priorities, retries with backoff, a
 * dead-letter list with replay, idempotency keys, fencing tokens per attempt, drain on close) for work that does not
 * need to survive the JVM. Jobs live in memory: a JVM that dies loses its queue (the Redis queue is for that).
 *
 * <pre>{@code
 * JobQueue<String> thumbnails = LocalJobQueue.<String>builder("thumbnails").build();
 * JobWorkers workers = thumbnails.work(4, job -> render(job.payload()));
 * thumbnails.submit("photo-42.jpg");
 * }</pre>
 *
 * <p>Workers wait on a condition until the next job is due (no polling); a delayed job starts at its due time, as
 * soon as a worker is free. Each worker is a long-running task on the builder's executor, by default the scheduler's
 * blocking tasks (a thread of its own, or a virtual thread on Java 21 and later).
 */
public final class LocalJobQueue {

  /** The default deduplication window of idempotency keys: 1 hour. */
  public static final Duration DEFAULT_DEDUPLICATION_WINDOW = Duration.ofHours(1);

  /** The default bound of the dead-letter list: 10,000 jobs (the oldest are dropped beyond it). */
  public static final int DEFAULT_MAX_DEAD = 10_000;

  private LocalJobQueue() {}

  /**
   * Starts configuring a queue.
   *
   * @param name the queue's name: non-blank
   * @param <P> the type of the payloads
   * @return a builder with every setting at its default
   */
  public static <P> Builder<P> builder(String name) {
    return new Builder<>(name);
  }

  /**
   * Configures a {@link LocalJobQueue}.
   *
   * <table>
   *   <caption>Settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #deduplicationWindow}</td><td>1 h</td><td>how long an idempotency key is remembered</td></tr>
   *   <tr><td>{@link #maxDead}</td><td>10,000</td><td>dead jobs kept (the oldest dropped beyond)</td></tr>
   *   <tr><td>{@link #executor}</td><td>the scheduler's blocking tasks</td><td>where workers run</td></tr>
   *   <tr><td>{@link #scheduler}</td><td>{@link Scheduler#shared()}</td><td>runs the workers unless an executor
   *       is given</td></tr>
   *   <tr><td>{@link #clock}</td><td>{@link Clock#system()}</td><td>delays, backoff, deadlines, latency</td></tr>
   * </table>
   *
   * @param <P> the type of the payloads
   */
  public static final class Builder<P> {
    final String name;
    long deduplicationWindowNanos = DEFAULT_DEDUPLICATION_WINDOW.toNanos();
    int maxDead = DEFAULT_MAX_DEAD;
    @Nullable Executor executor;
    Scheduler scheduler = Scheduler.shared();
    Clock clock = Clock.system();

    private Builder(String name) {
      this.name = Require.nonBlank(name, "name");
    }

    /**
     * How long an idempotency key is remembered: a submission with a key seen within the window is ignored.
     *
     * @param window positive; default 1 h
     * @return this builder
     */
    public Builder<P> deduplicationWindow(Duration window) {
      this.deduplicationWindowNanos = Require.positiveNanos(window, "deduplicationWindow");
      return this;
    }

    /**
     * How many dead jobs are kept.
     *
     * @param jobs at least 1; default 10,000
     * @return this builder
     */
    public Builder<P> maxDead(int jobs) {
      this.maxDead = (int) Require.positive(jobs, "maxDead");
      return this;
    }

    /**
     * Where workers run: each worker is one long-running task (it blocks while no job is due). An executor of
     * virtual threads suits it well.
     *
     * @param workers default: {@link Scheduler#executeBlocking} of the scheduler
     * @return this builder
     */
    public Builder<P> executor(Executor workers) {
      this.executor = Objects.requireNonNull(workers, "executor");
      return this;
    }

    /**
     * The scheduler whose blocking tasks run the workers when no executor is given.
     *
     * @param scheduler default {@link Scheduler#shared()}
     * @return this builder
     */
    public Builder<P> scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The clock of delays, backoff, deadlines and latency.
     *
     * @param clock default {@link Clock#system()}
     * @return this builder
     */
    public Builder<P> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Creates the queue.
     *
     * @return the queue, empty
     */
    public JobQueue<P> build() {
      return new InProcessJobQueue<>(this);
    }
  }
}
