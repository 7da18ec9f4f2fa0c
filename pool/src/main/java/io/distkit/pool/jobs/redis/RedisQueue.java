package io.distkit.pool.jobs.redis;

import io.distkit.core.Clock;
import io.distkit.core.codec.VersionedCodec;
import io.distkit.core.internal.Require;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.Subscriber;
import io.distkit.core.session.Subscription;
import io.distkit.pool.jobs.DeadJob;
import io.distkit.pool.jobs.GroupLimits;
import io.distkit.pool.jobs.JobHandler;
import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobStats;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.Submission;
import io.distkit.pool.jobs.internal.GroupGate;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RedisJobQueue}'s queue: submissions, dead letters and stats by script; workers in {@link RedisWorkers}.
 */
final class RedisQueue<P> implements JobQueue<P> {

  private static final Logger log = LoggerFactory.getLogger(RedisQueue.class);

  private static final byte[] EMPTY = new byte[0];
  /** Priorities run from -1,000 to 1,000: band 0 (priority 1,000) is claimed first. */
  private static final int TOP_PRIORITY = 1_000;

  final String name;
  final RedisBackend backend;
  final VersionedCodec<P> codec;
  final RedisTime time;
  final Clock clock;
  final Scheduler scheduler;
  final @Nullable Executor executor;
  final long leaseMicros;
  final long leaseNanos;
  final int claimBatch;
  final int maxDead;
  final long pollIntervalNanos;
  final byte[] retentionMillis;
  private final long retentionNanos;
  private final byte[] deduplicationWindowMillis;
  private final RedisKeys keys;
  private final byte[] ready;
  private final byte[] delayed;
  private final byte[] inFlight;
  private final byte[] headers;
  private final byte[] payloads;
  private final byte[] failures;
  private final byte[] dead;
  private final byte[] counters;
  private final byte[] tokens;
  private final String channel;
  private final RedisSubscriptions.Share pubsub;
  /** The channel as scripts get it: empty when pub/sub is sharded (this JVM publishes, after the script). */
  final byte[] inlineChannel;
  /** Job ids: this queue object's random part, then a counter. */
  private final String idPrefix;
  private final AtomicLong nextId = new AtomicLong();
  private final List<RedisWorkers<P>> workers = new CopyOnWriteArrayList<>();
  private final Object subscribing = new Object();
  private @Nullable Subscription subscription;
  private volatile boolean closed;
  /** For tests only: told what Redis answered to each outcome. */
  volatile @Nullable OutcomeHook outcomeHook;

  RedisQueue(RedisJobQueue.Builder<P> settings) {
    this.name = settings.name;
    this.backend = settings.backend;
    this.codec = settings.codec;
    this.clock = settings.configuredClock();
    this.scheduler = settings.configuredScheduler();
    this.time = RedisTime.of(settings.timeSource, clock);
    this.executor = settings.executor;
    this.leaseNanos = settings.lease.toNanos();
    this.leaseMicros = leaseNanos / 1_000;
    this.claimBatch = settings.claimBatch;
    this.maxDead = settings.maxDead;
    // an idle dispatcher asks at least once per lease: it learns of every lease before that lease can run out, so
    // the job of a worker that died runs again within its lease (plus 1 s), however long the poll interval
    this.pollIntervalNanos = Math.min(settings.pollInterval.toNanos(), leaseNanos);
    this.retentionNanos = settings.retention.toNanos();
    this.retentionMillis = ascii(settings.retention.toMillis());
    this.deduplicationWindowMillis = ascii(settings.deduplicationWindow.toMillis());
    this.keys = RedisKeys.of(settings.keyPrefix, "jobs");
    this.ready = keys.keyBytes(name, "r", "queue name");
    this.delayed = keys.keyBytes(name, "d", "queue name");
    this.inFlight = keys.keyBytes(name, "f", "queue name");
    this.headers = keys.keyBytes(name, "h", "queue name");
    this.payloads = keys.keyBytes(name, "p", "queue name");
    this.failures = keys.keyBytes(name, "e", "queue name");
    this.dead = keys.keyBytes(name, "x", "queue name");
    this.counters = keys.keyBytes(name, "s", "queue name");
    this.tokens = keys.keyBytes(name, "t", "queue name");
    this.channel = keys.key(name, "w");
    this.pubsub = RedisSubscriptions.shared(backend, scheduler, clock);
    this.inlineChannel = pubsub.isSharded() ? EMPTY : channel.getBytes(StandardCharsets.UTF_8);
    byte[] random = new byte[9];
    new SecureRandom().nextBytes(random);
    this.idPrefix = Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "-";
  }

  static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  static String text(Object reply) {
    return new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  @Override
  public String name() {
    return name;
  }

  /** The arguments every script starts with: time, retention, channel. */
  List<byte[]> arguments(int more) {
    List<byte[]> args = new ArrayList<>(3 + more);
    args.add(time.argument());
    args.add(retentionMillis);
    args.add(inlineChannel);
    return args;
  }

  /** Keys of the claim script, in its order. */
  List<byte[]> claimKeys() {
    return List.of(ready, delayed, inFlight, headers, payloads, failures, dead, counters, tokens);
  }

  List<byte[]> extendKeys() {
    return List.of(inFlight, headers, counters);
  }

  /** Wakes idle dispatchers when a script asked this JVM to (sharded pub/sub). */
  void publishIfAsked(Object flag) {
    if (flag instanceof Long asked && asked == 1L) {
      pubsub.publish(channel, new byte[] {'w'});
    }
  }

  @Override
  public Submission submit(P payload, JobOptions options) {
    return submitAll(List.of(payload), options).get(0);
  }

  @Override
  public List<Submission> submitAll(List<? extends P> payloads, JobOptions options) {
    Objects.requireNonNull(payloads, "payloads");
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("job queue " + name + " is closed");
    }
    if (payloads.isEmpty()) {
      return List.of();
    }
    if (payloads.size() > RedisJobQueue.MAX_SUBMIT_BATCH) {
      throw new IllegalArgumentException("submitAll takes at most " + RedisJobQueue.MAX_SUBMIT_BATCH + " jobs per call "
          + "(one script: a longer one would hold Redis up for every other client), got " + payloads.size());
    }
    long delayNanos = Require.saturatedNanos(options.delay());
    if (delayNanos >= retentionNanos) {
      throw new IllegalArgumentException("delay (" + options.delay() + ") must be shorter than the queue's retention ("
          + Duration.ofNanos(retentionNanos) + ")");
    }
    byte[] delay = ascii(delayNanos / 1_000);
    byte[] band = ascii(TOP_PRIORITY - options.priority());
    byte[] maxAttempts = ascii(options.retry().maxAttempts());
    byte[] deadline = ascii(Require.saturatedNanos(options.retry().deadline()) / 1_000);
    byte[] javaPart = JobHeader.javaPart(options.retry().backoff(), options.group()).getBytes(StandardCharsets.UTF_8);
    List<byte[]> scriptKeys = new ArrayList<>(List.of(ready, delayed, headers, this.payloads, counters));
    byte[] keyIndex = ascii(0);
    if (options.idempotencyKey() != null) {
      scriptKeys.add(keys.keyBytes(name, "k:" + options.idempotencyKey(), "queue name"));
      keyIndex = ascii(scriptKeys.size());
    }
    List<byte[]> args = arguments(2 + payloads.size() * 8);
    args.add(deduplicationWindowMillis);
    args.add(ascii(payloads.size()));
    List<String> ids = new ArrayList<>(payloads.size());
    for (P payload : payloads) {
      byte[] encoded = codec.encode(Objects.requireNonNull(payload, "payload"));
      String id = idPrefix + nextId.incrementAndGet();
      ids.add(id);
      args.add(id.getBytes(StandardCharsets.US_ASCII));
      args.add(encoded);
      args.add(delay);
      args.add(band);
      args.add(maxAttempts);
      args.add(deadline);
      args.add(javaPart);
      args.add(keyIndex);
    }
    List<?> reply = (List<?>) backend.eval(JobScripts.SUBMIT, scriptKeys, args);
    publishIfAsked(reply.get(1));
    List<Submission> submissions = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      String got = text(reply.get(2 + i));
      submissions.add(new Submission(got, !got.equals(ids.get(i))));
    }
    return submissions;
  }

  @Override
  public JobWorkers work(int concurrency, JobHandler<P> handler, GroupLimits limits) {
    Require.positive(concurrency, "concurrency");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(limits, "limits");
    if (closed) {
      throw new IllegalStateException("job queue " + name + " is closed");
    }
    subscribe();
    RedisWorkers<P> started = new RedisWorkers<>(this, concurrency, handler, new GroupGate(limits));
    workers.add(started);
    started.start();
    return started;
  }

  void ended(RedisWorkers<P> stopped) {
    workers.remove(stopped);
  }

  /** Subscribes to the wake-up channel once, for every dispatcher of this queue object. */
  private void subscribe() {
    synchronized (subscribing) {
      if (subscription == null) {
        subscription = pubsub.subscribe(channel, new Subscriber() {
          @Override
          public void onMessage(String from, byte[] message) {
            wakeAll();
          }

          @Override
          public void onMissedMessages(String from) {
            wakeAll();
          }
        });
      }
    }
  }

  private void wakeAll() {
    for (RedisWorkers<P> running : workers) {
      running.wake();
    }
  }

  @Override
  public List<DeadJob<P>> deadLetters(int limit) {
    Require.positive(limit, "limit");
    List<byte[]> args = arguments(1);
    args.add(ascii(limit));
    List<?> reply = (List<?>) backend.eval(JobScripts.DEAD, List.of(dead, headers, payloads, failures), args);
    List<DeadJob<P>> jobs = new ArrayList<>(reply.size() / 4);
    for (int i = 0; i < reply.size(); i += 4) {
      JobHeader header;
      P payload;
      try {
        header = JobHeader.parse((byte[]) reply.get(i + 1));
        payload = codec.decode((byte[]) reply.get(i + 2));
      } catch (RuntimeException e) {
        // left out, not lost: it stays dead in Redis, for code that reads it (or replay by id)
        log.warn("Job queue {}: dead job {} cannot be read by this code ({}); not listed", name, text(reply.get(i)),
            e.toString());
        continue;
      }
      jobs.add(new DeadJob<>(text(reply.get(i)), payload, header.attempt(), text(reply.get(i + 3))));
    }
    return jobs;
  }

  @Override
  public boolean replay(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    List<byte[]> args = arguments(1);
    args.add(jobId.getBytes(StandardCharsets.UTF_8));
    List<?> reply = (List<?>) backend.eval(JobScripts.REPLAY, List.of(dead, headers, ready, counters), args);
    publishIfAsked(reply.get(1));
    return (Long) reply.get(0) == 1L;
  }

  @Override
  public JobStats stats() {
    List<?> reply = (List<?>) backend.eval(JobScripts.STATS, List.of(ready, delayed, inFlight, dead, counters),
        List.of());
    long latency = 0;
    long started = 0;
    for (RedisWorkers<P> running : workers) {
      latency += running.startLatencyNanos();
      started += running.started();
    }
    return new JobStats(count(reply, 0) + count(reply, 1), count(reply, 2), count(reply, 3), count(reply, 4),
        count(reply, 5), count(reply, 6), count(reply, 7), count(reply, 8), count(reply, 9), count(reply, 10), latency,
        started);
  }

  private static long count(List<?> reply, int index) {
    Object value = reply.get(index);
    if (value instanceof Long number) {
      return number;
    }
    if (value instanceof byte[] bytes) {
      return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
    }
    return 0;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (RedisWorkers<P> running : workers) {
      running.close();
    }
    synchronized (subscribing) {
      if (subscription != null) {
        subscription.close();
        subscription = null;
      }
    }
    pubsub.close();
  }

  @Override
  public String toString() {
    return "RedisJobQueue[" + keys.taggedName(name) + "]";
  }
}
