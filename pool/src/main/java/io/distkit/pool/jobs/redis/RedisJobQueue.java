package io.distkit.pool.jobs.redis;

import io.distkit.core.FailurePolicy;
import io.distkit.core.codec.Codec;
import io.distkit.core.codec.VersionedCodec;
import io.distkit.core.internal.Require;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.session.PolicySupport;
import io.distkit.core.session.SessionBuilder;
import io.distkit.pool.jobs.JobQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A job queue in Redis (standalone, Sentinel or Cluster), shared by every JVM that builds one with the same name:
 * the semantics of {@link JobQueue}, at least once across JVMs. No job is lost when a worker's JVM dies: each
 * attempt holds a lease on the server's clock, extended while its handler runs; an attempt whose lease ran out
 * (its JVM killed, paused, or cut off from Redis) is run again by another worker, and its own late outcome is
 * refused (its fencing token is no longer the job's).
 *
 * <pre>{@code
 * JobQueue<String> emails = RedisJobQueue.builder(RedisBackend.create(jedis), "emails", Codec.utf8()).build();
 * emails.submit("welcome:42", JobOptions.DEFAULT.idempotencyKey("welcome:42"));
 * JobWorkers workers = emails.work(8, job -> mailer.send(job.payload()));
 * }</pre>
 *
 * <h2>In Redis</h2>
 * Nine keys under the queue's hash tag, {@code <prefix>:jobs:{<name>}:r|d|f|h|p|e|x|s|t} (ready, delayed, in flight,
 * headers, payloads, last failures, dead, counters, last fencing token), plus one key per idempotency key
 * ({@code :k:<key>}, for the deduplication window), and one pub/sub channel ({@code :w}) that wakes idle workers.
 * Every key is kept for the {@linkplain Builder#retention retention} after the queue's last write (less at most a
 * thousandth of it: a time to live is refreshed once that much of it has passed, not on every call): a queue nobody
 * writes to for that long is gone.
 *
 * <h2>Round trips</h2>
 * A submission is one script ({@link JobQueue#submitAll} submits many in one). A JVM's workers of one
 * {@link JobQueue#work} call share one dispatcher: one script ends the attempts that finished since its last call
 * (acknowledgements, retries, dead letters), gives back attempts whose lease ran out, moves due delayed jobs to the
 * ready ones and claims up to {@linkplain Builder#claimBatch a batch} of them; under load, one call serves many
 * jobs. One more script per {@linkplain Builder#lease lease}/3 extends every lease of the dispatcher's attempts.
 * Idle dispatchers wait: for a message on the channel (published when ready jobs appear, or a delayed job is due
 * sooner than they knew), for the next due time (a timer), or at most the {@linkplain Builder#pollInterval poll
 * interval}; never a loop of calls.
 *
 * <h2>When Redis is down</h2>
 * A submission throws {@link io.distkit.core.BackendUnavailableException} (fail closed: a job is never reported
 * submitted when that is not known). Dispatchers retry with backoff and keep their outcomes until Redis answers;
 * attempts under way run on; an attempt whose lease ran out meanwhile is run again after the outage, and its late
 * outcome is refused.
 */
public final class RedisJobQueue {

  /** The default lease of an attempt: 30 s, extended every 10 s while its handler runs. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  /** The default deduplication window of idempotency keys: 1 hour. */
  public static final Duration DEFAULT_DEDUPLICATION_WINDOW = Duration.ofHours(1);

  /** The default retention of an idle queue's keys: 30 days. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /** The default bound of the dead-letter set: 10,000 jobs (the oldest dropped beyond it). */
  public static final int DEFAULT_MAX_DEAD = 10_000;

  /** The default poll interval: 5 s. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  /** The most jobs {@link JobQueue#submitAll} takes in one call (one script): 1,000. */
  public static final int MAX_SUBMIT_BATCH = 1_000;

  /** The default (and largest) batch of jobs claimed by one call: 128. */
  public static final int MAX_CLAIM_BATCH = 128;

  /** What a queue does when Redis is unavailable. */
  static final PolicySupport POLICIES = PolicySupport.of("job queue")
      .supports(FailurePolicy.FAIL_CLOSED)
      .refuses(FailurePolicy.FAIL_OPEN, "a submission that fails open would report a job accepted that is lost")
      .refuses(FailurePolicy.FALLBACK_TO_LOCAL, "jobs kept in one JVM's memory would be lost with it, unseen by "
          + "the other JVMs' workers");

  private RedisJobQueue() {}

  /**
   * Starts configuring a queue.
   *
   * @param backend the Redis to keep the queue in
   * @param name the queue's name: non-blank, at most 1,024 bytes of UTF-8 (every JVM that uses the same name on the
   *     same Redis shares the queue)
   * @param codec turns payloads into bytes and back; a codec that is not a {@link VersionedCodec} is given format
   *     version 1 (so a later format can still read these)
   * @param <P> the type of the payloads
   * @return a builder with every setting at its default
   */
  public static <P> Builder<P> builder(RedisBackend backend, String name, Codec<P> codec) {
    return new Builder<>(backend, name, codec);
  }

  /**
   * Configures a {@link RedisJobQueue}.
   *
   * <table>
   *   <caption>Settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #lease}</td><td>30 s</td><td>how long an attempt is its worker's without news from it: a
   *       worker that died is replaced within a lease (plus 1 s)</td></tr>
   *   <tr><td>{@link #deduplicationWindow}</td><td>1 h</td><td>how long an idempotency key is remembered</td></tr>
   *   <tr><td>{@link #maxDead}</td><td>10,000</td><td>dead jobs kept (the oldest dropped beyond)</td></tr>
   *   <tr><td>{@link #retention}</td><td>30 days</td><td>how long an idle queue's keys live after its last
   *       write</td></tr>
   *   <tr><td>{@link #claimBatch}</td><td>128</td><td>the most jobs one call claims</td></tr>
   *   <tr><td>{@link #pollInterval}</td><td>5 s</td><td>the longest an idle dispatcher waits without a message
   *       (covers messages lost while pub/sub reconnects); at most the lease</td></tr>
   *   <tr><td>{@link #executor}</td><td>the scheduler's blocking tasks</td><td>where handlers run</td></tr>
   *   <tr><td>{@link #keyPrefix}</td><td>{@value RedisKeys#DEFAULT_PREFIX}</td><td>the keys' prefix</td></tr>
   *   <tr><td>{@link #timeSource}</td><td>{@link TimeSource#SERVER}</td><td>whose clock leases, delays and
   *       deadlines run on</td></tr>
   *   <tr><td>{@link #failurePolicy}</td><td>{@link FailurePolicy#FAIL_CLOSED}</td><td>the only one a queue can
   *       honour</td></tr>
   * </table>
   *
   * @param <P> the type of the payloads
   */
  public static final class Builder<P> extends SessionBuilder<Builder<P>> {
    final RedisBackend backend;
    final String name;
    final VersionedCodec<P> codec;
    String keyPrefix = RedisKeys.DEFAULT_PREFIX;
    TimeSource timeSource = TimeSource.SERVER;
    Duration lease = DEFAULT_LEASE;
    Duration deduplicationWindow = DEFAULT_DEDUPLICATION_WINDOW;
    Duration retention = DEFAULT_RETENTION;
    int maxDead = DEFAULT_MAX_DEAD;
    int claimBatch = MAX_CLAIM_BATCH;
    Duration pollInterval = DEFAULT_POLL_INTERVAL;
    @Nullable Executor executor;

    private Builder(RedisBackend backend, String name, Codec<P> codec) {
      this.backend = Objects.requireNonNull(backend, "backend");
      this.name = RedisKeys.checkName(name, "queue name");
      Objects.requireNonNull(codec, "codec");
      this.codec = codec instanceof VersionedCodec<P> versioned ? versioned : codec.versioned(1);
    }

    @Override
    protected Builder<P> self() {
      return this;
    }

    /**
     * The prefix of the queue's keys.
     *
     * @param keyPrefix see {@link RedisKeys#of(String, String)}; default {@value RedisKeys#DEFAULT_PREFIX}
     * @return this builder
     */
    public Builder<P> keyPrefix(String keyPrefix) {
      RedisKeys.of(keyPrefix, "jobs"); // checks it
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Whose clock leases, delays and deadlines run on: the Redis server's (every JVM agrees, however skewed their
     * clocks) or the builder's {@link #clock}.
     *
     * @param timeSource default {@link TimeSource#SERVER}
     * @return this builder
     */
    public Builder<P> timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * How long an attempt stays its worker's without news from it. While its handler runs, the lease is extended
     * every third of it; a worker that dies, stalls (a long GC pause, SIGSTOP) or loses Redis for longer loses the
     * attempt: it is run again elsewhere (counting as an attempt) and its own outcome is refused.
     *
     * @param lease at least 300 ms; default 30 s
     * @return this builder
     */
    public Builder<P> lease(Duration lease) {
      if (Require.positiveNanos(lease, "lease") < 300_000_000L) {
        throw new IllegalArgumentException("lease (" + lease + ") must be at least 300 ms");
      }
      this.lease = lease;
      return this;
    }

    /**
     * How long an idempotency key is remembered: a submission with a key seen within the window is ignored.
     *
     * @param window at least 1 ms; default 1 h
     * @return this builder
     */
    public Builder<P> deduplicationWindow(Duration window) {
      if (Require.positiveNanos(window, "deduplicationWindow") < 1_000_000L) {
        throw new IllegalArgumentException("deduplicationWindow (" + window + ") must be at least 1 ms");
      }
      this.deduplicationWindow = window;
      return this;
    }

    /**
     * How long the queue's keys live after its last write. Delays must be shorter.
     *
     * @param retention at least 1 minute; default 30 days
     * @return this builder
     */
    public Builder<P> retention(Duration retention) {
      if (Require.positiveNanos(retention, "retention") < Duration.ofMinutes(1).toNanos()) {
        throw new IllegalArgumentException("retention (" + retention + ") must be at least 1 minute");
      }
      this.retention = retention;
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
     * The most jobs one call claims (a dispatcher claims what its free workers can take, up to this).
     *
     * @param jobs 1 to 128; default 128
     * @return this builder
     */
    public Builder<P> claimBatch(int jobs) {
      if (jobs < 1 || jobs > MAX_CLAIM_BATCH) {
        throw new IllegalArgumentException("claimBatch (" + jobs + ") must be 1 to " + MAX_CLAIM_BATCH);
      }
      this.claimBatch = jobs;
      return this;
    }

    /**
     * The longest an idle dispatcher waits for a message before it asks Redis anyway. A dispatcher waits at most
     * the {@linkplain #lease lease}, whatever this says: it must hear of every lease before that lease can run out
     * (another JVM's job, claimed without a message) to run the job again in time if its worker died.
     *
     * @param interval at least 10 ms; default 5 s
     * @return this builder
     */
    public Builder<P> pollInterval(Duration interval) {
      if (Require.positiveNanos(interval, "pollInterval") < 10_000_000L) {
        throw new IllegalArgumentException("pollInterval (" + interval + ") must be at least 10 ms");
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Where handlers run: each worker is one long-running task (it blocks while no job is at hand). An executor of
     * virtual threads suits it well.
     *
     * @param workers default: {@link io.distkit.core.session.Scheduler#executeBlocking} of the scheduler
     * @return this builder
     */
    public Builder<P> executor(Executor workers) {
      this.executor = Objects.requireNonNull(workers, "executor");
      return this;
    }

    /**
     * What a call does when Redis is unavailable. Only {@link FailurePolicy#FAIL_CLOSED} keeps a queue's promise.
     *
     * @param policy {@link FailurePolicy#FAIL_CLOSED}
     * @return this builder
     * @throws IllegalArgumentException for another policy, saying why
     */
    public Builder<P> failurePolicy(FailurePolicy policy) {
      POLICIES.check(policy);
      return this;
    }

    /**
     * Creates the queue (no call to Redis yet).
     *
     * @return the queue
     */
    public JobQueue<P> build() {
      return new RedisQueue<>(this);
    }
  }
}
