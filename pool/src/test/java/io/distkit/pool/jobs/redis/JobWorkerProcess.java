package io.distkit.pool.jobs.redis;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.ChildJvm;
import io.distkit.core.testing.HistoryFile;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * A worker JVM of {@link RedisJobQueueChaosTest}. Arguments: {@code host port queue historyFile concurrency
 * leaseMillis}. Runs a {@link RedisJobQueue}'s workers and appends one line per event to its history file (flushed
 * per line, so a kill -9 loses at most a torn last line), each {@code event wallMicros fields...}:
 * <ul>
 *   <li>{@code start id payload attempt token} when a handler begins;
 *   <li>{@code end id token ok|fail|interrupted} when it returns or throws;
 *   <li>{@code told id token op answer} for each outcome Redis answered (see {@link OutcomeHook});
 *   <li>{@code close-begin} and {@code close-end inTime} around the drain on SIGTERM.
 * </ul>
 * What a job does is decided by its payload (a job number), see {@link #behaviour(long)}.
 */
public final class JobWorkerProcess {

  /** Payloads from here on are the measured phase's long jobs. */
  static final long LONG_JOBS_FROM = 1_000_000;
  /** How long a long job runs: longer than the lease, so it lives on extensions. */
  static final long LONG_JOB_MILLIS = 3_000;
  /** The drain deadline on SIGTERM. */
  static final Duration DRAIN = Duration.ofSeconds(2);

  private JobWorkerProcess() {}

  /** What a job does: a poison job always fails; others sleep, a few of them longer than the lease. */
  enum Behaviour { POISON, LONG, SHORT }

  static Behaviour behaviour(long payload) {
    if (payload >= LONG_JOBS_FROM) {
      return Behaviour.LONG;
    }
    if (payload % 50 == 7) {
      return Behaviour.POISON;
    }
    return payload % 100 == 13 ? Behaviour.LONG : Behaviour.SHORT;
  }

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  public static void main(String[] args) throws Exception {
    ChildJvm.exitWhenParentExits();
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String name = args[2];
    HistoryFile history = HistoryFile.append(Path.of(args[3]));
    int concurrency = Integer.parseInt(args[4]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[5]));
    RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort(host, port))
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1000).build()).build();
    JobQueue<Long> queue = RedisJobQueue.builder(RedisBackend.create(client), name, Codec.longs()).lease(lease)
        .build();
    ((RedisQueue<Long>) queue).outcomeHook = (id, token, op, answer) -> history.record("told", now(), id,
        Long.toString(token), String.valueOf(op), String.valueOf(answer));
    JobWorkers workers = queue.work(concurrency, job -> {
      String token = Long.toString(job.token().value());
      history.record("start", now(), job.id(), Long.toString(job.payload()), Integer.toString(job.attempt()), token);
      try {
        switch (behaviour(job.payload())) {
          case POISON -> {
            Thread.sleep(5);
            throw new IllegalStateException("poison job " + job.payload());
          }
          case LONG -> Thread.sleep(LONG_JOB_MILLIS);
          case SHORT -> Thread.sleep(5 + job.payload() * 7919 % 60);
        }
      } catch (InterruptedException e) {
        history.record("end", now(), job.id(), token, "interrupted");
        throw e;
      } catch (RuntimeException e) {
        history.record("end", now(), job.id(), token, "fail");
        throw e;
      }
      history.record("end", now(), job.id(), token, "ok");
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      history.record("close-begin", now());
      boolean inTime = workers.close(DRAIN);
      history.record("close-end", now(), Boolean.toString(inTime));
    }, "drain"));
    System.out.println("ready");
    Thread.sleep(Long.MAX_VALUE);
  }

  private static String now() {
    return Long.toString(micros());
  }
}
