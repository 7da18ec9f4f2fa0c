package io.distkit.pool.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.codec.Codec;
import io.distkit.core.codec.VersionedCodec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.pool.jobs.DeadJob;
import io.distkit.pool.jobs.Job;
import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** What only the Redis queue has: several JVMs on one queue, leases that run out, outages, keys in Redis. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisJobQueueTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Scheduler scheduler = Scheduler.create("redis-jobs-test");
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final String name = TestKeys.unique("jobs");

  @AfterEach
  void tearDown() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    scheduler.close();
  }

  private <T extends AutoCloseable> T closeAfter(T resource) {
    opened.add(resource);
    return resource;
  }

  /** A client with short timeouts, as a test of faults wants. */
  private RedisClient client(HostAndPort at) {
    return closeAfter(RedisClient.builder().hostAndPort(at).clientConfig(DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(300).socketTimeoutMillis(300).build()).build());
  }

  /** A queue as one JVM would have it: on a client and a guard of its own. */
  private <P> RedisJobQueue.Builder<P> queue(HostAndPort at, Codec<P> codec) {
    BackendGuard guard = BackendGuard.builder().retryInterval(Duration.ofMillis(200)).build();
    return RedisJobQueue.builder(RedisBackend.create(client(at), guard), name, codec).scheduler(scheduler);
  }

  private JobQueue<String> shared() {
    return closeAfter(queue(RedisServers.standalone().hostAndPort(), Codec.utf8()).build());
  }

  @Test
  void severalJvmsShareOneQueueAndEachJobRunsOnce() {
    JobQueue<String> first = shared();
    JobQueue<String> second = shared();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger ranOnFirst = new AtomicInteger();
    AtomicInteger ranOnSecond = new AtomicInteger();
    first.work(2, job -> {
      ranOnFirst.incrementAndGet();
      runs.computeIfAbsent(job.payload(), p -> new AtomicInteger()).incrementAndGet();
    });
    second.work(2, job -> {
      ranOnSecond.incrementAndGet();
      runs.computeIfAbsent(job.payload(), p -> new AtomicInteger()).incrementAndGet();
    });
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      payloads.add("job-" + i);
    }
    first.submitAll(payloads.subList(0, 200), JobOptions.DEFAULT);
    second.submitAll(payloads.subList(200, 400), JobOptions.DEFAULT);
    await().atMost(WAIT).until(() -> first.stats().succeeded() == 400);
    assertThat(runs).hasSize(400);
    assertThat(runs.values()).allMatch(count -> count.get() == 1);
    assertThat(ranOnFirst.get()).as("both JVMs worked").isPositive();
    assertThat(ranOnSecond.get()).as("both JVMs worked").isPositive();
    assertThat(second.stats().queued()).isZero();
  }

  @Test
  void aWorkerCutOffFromRedisLosesItsJobToAnotherWithinALeaseAndItsLateAcknowledgementIsRefused() throws Exception {
    RedisServerProcess server = RedisServers.standalone();
    FaultProxy proxy = closeAfter(FaultProxy.start(server.hostAndPort()));
    Duration lease = Duration.ofSeconds(1);
    JobQueue<String> cutOff = closeAfter(queue(proxy.hostAndPort(), Codec.utf8()).lease(lease).build());
    JobQueue<String> healthy = closeAfter(queue(server.hostAndPort(), Codec.utf8()).lease(lease).build());
    CountDownLatch startedOnCutOff = new CountDownLatch(1);
    CountDownLatch finishCutOff = new CountDownLatch(1);
    List<Job<String>> attempts = new CopyOnWriteArrayList<>();
    cutOff.work(1, job -> {
      attempts.add(job);
      startedOnCutOff.countDown();
      finishCutOff.await();
    });
    healthy.submit("report");
    assertThat(startedOnCutOff.await(20, TimeUnit.SECONDS)).isTrue();
    proxy.cut();
    long cutAt = System.nanoTime();
    List<Long> startedAt = new CopyOnWriteArrayList<>();
    healthy.work(1, job -> {
      startedAt.add(System.nanoTime());
      attempts.add(job);
    });
    await().atMost(WAIT).until(() -> healthy.stats().succeeded() == 1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(startedAt.get(0) - cutAt)).as("run again within lease + 1 s")
        .isLessThan(lease.toMillis() + 1_000);
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1).attempt()).isEqualTo(2);
    assertThat(attempts.get(1).token().isNewerThan(attempts.get(0).token())).isTrue();

    proxy.heal();
    finishCutOff.countDown(); // the first attempt ends well, too late: Redis must refuse it
    await().atMost(WAIT).until(() -> counter("stale") == 1);
    assertThat(healthy.stats().succeeded()).as("acknowledged once").isEqualTo(1);
    assertThat(counter("expired")).isEqualTo(1);
  }

  private long counter(String field) {
    try (Jedis jedis = RedisServers.standalone().connect()) {
      String value = jedis.hget("distkit:jobs:{" + name + "}:s", field);
      return value == null ? 0 : Long.parseLong(value);
    }
  }

  @Test
  void idleWorkersWaitWithoutCallingRedis() {
    RedisServerProcess server = closeAfter(RedisServers.startStandalone());
    JobQueue<String> queue = closeAfter(queue(server.hostAndPort(), Codec.utf8()).build());
    List<String> ran = new CopyOnWriteArrayList<>();
    queue.work(4, job -> ran.add(job.payload()));
    queue.submit("first");
    await().atMost(WAIT).until(() -> ran.size() == 1);
    long before = server.commandStats().calls("evalsha");
    await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3))
        .until(() -> server.commandStats().calls("evalsha") <= before + 1);
    queue.submit("second"); // a message wakes the idle dispatcher
    await().atMost(WAIT).until(() -> ran.size() == 2);
  }

  @Test
  void aDelayedJobSoonerThanTheOnesKnownWakesIdleWorkers() {
    JobQueue<String> queue = shared();
    List<Long> startedAt = new CopyOnWriteArrayList<>();
    queue.work(1, job -> startedAt.add(System.nanoTime()));
    queue.submit("much later", JobOptions.DEFAULT.delay(Duration.ofSeconds(30)));
    await().atMost(WAIT).until(() -> queue.stats().queued() == 1);
    long submitted = System.nanoTime();
    queue.submit("soon", JobOptions.DEFAULT.delay(Duration.ofMillis(300)));
    await().atMost(WAIT).until(() -> startedAt.size() == 1);
    long afterMillis = TimeUnit.NANOSECONDS.toMillis(startedAt.get(0) - submitted);
    assertThat(afterMillis).isBetween(300L, 400L);
  }

  @Test
  void aPayloadTheWorkersCannotReadIsDeadLetteredAtOnceAndReplaysOnceTheyCan() {
    Codec<String> v1 = Codec.utf8().versioned(1);
    VersionedCodec<String> v2only = Codec.utf8().versioned(2);
    JobQueue<String> submitter = closeAfter(queue(RedisServers.standalone().hostAndPort(), v1).build());
    JobQueue<String> newWorkers = closeAfter(queue(RedisServers.standalone().hostAndPort(), v2only).build());
    AtomicInteger runs = new AtomicInteger();
    newWorkers.work(1, job -> runs.incrementAndGet());
    String id = submitter.submit("old format", JobOptions.DEFAULT.retry(RetryPolicy.DEFAULT)).jobId();
    await().atMost(WAIT).until(() -> submitter.stats().dead() == 1);
    assertThat(runs).hasValue(0);
    List<DeadJob<String>> dead = submitter.deadLetters(10);
    assertThat(dead).singleElement().satisfies(job -> {
      assertThat(job.id()).isEqualTo(id);
      assertThat(job.payload()).isEqualTo("old format");
      assertThat(job.lastFailure()).contains("unreadable payload");
    });

    JobQueue<String> fixed = closeAfter(queue(RedisServers.standalone().hostAndPort(),
        Codec.utf8().versioned(2).alsoReads(1, Codec.utf8())).build());
    List<String> read = new CopyOnWriteArrayList<>();
    fixed.work(1, job -> read.add(job.payload()));
    newWorkers.close();
    assertThat(fixed.replay(id)).isTrue();
    await().atMost(WAIT).until(() -> read.size() == 1);
    assertThat(read).containsExactly("old format");
  }

  @Test
  void aJobWithAnUnreadableHeaderIsDeadLetteredAndTheRestOfItsBatchRuns() {
    JobQueue<String> queue = shared();
    List<String> ids = new ArrayList<>();
    for (String payload : List.of("first", "broken", "third")) {
      ids.add(queue.submit(payload).jobId());
    }
    byte[] headers = ("distkit:jobs:{" + name + "}:h").getBytes(StandardCharsets.UTF_8);
    byte[] broken = ids.get(1).getBytes(StandardCharsets.UTF_8);
    try (Jedis jedis = RedisServers.standalone().connect()) {
      byte[] header = jedis.hget(headers, broken);
      // as another version might have written it: one field short (no group), which this code does not read
      assertThat(header[header.length - 1]).isEqualTo((byte) ',');
      jedis.hset(headers, broken, Arrays.copyOf(header, header.length - 1));
    }
    List<String> ran = new CopyOnWriteArrayList<>();
    queue.work(4, job -> ran.add(job.payload()));
    await().atMost(WAIT).until(() -> queue.stats().dead() == 1 && queue.stats().succeeded() == 2);
    assertThat(ran).containsExactlyInAnyOrder("first", "third");
    assertThat(queue.deadLetters(10)).isEmpty(); // the dead list cannot read it either, and leaves it out
    try (Jedis jedis = RedisServers.standalone().connect()) {
      assertThat(jedis.hget("distkit:jobs:{" + name + "}:e", ids.get(1))).startsWith("unreadable header");
    }
  }

  @Test
  void withRedisDownSubmissionsFailFastAndWorkersCarryOnOnceItIsBack() {
    RedisServerProcess server = closeAfter(RedisServers.startStandalone());
    JobQueue<String> queue = closeAfter(queue(server.hostAndPort(), Codec.utf8()).build());
    List<String> ran = new CopyOnWriteArrayList<>();
    queue.work(2, job -> ran.add(job.payload()));
    queue.submit("before");
    await().atMost(WAIT).until(() -> ran.size() == 1);

    server.stop();
    long start = System.nanoTime();
    assertThatThrownBy(() -> queue.submit("during")).isInstanceOf(BackendUnavailableException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("fails fast").isLessThan(1_500);

    server.restart();
    await().atMost(WAIT).ignoreExceptionsInstanceOf(BackendUnavailableException.class)
        .until(() -> !queue.submit("after").duplicate());
    await().atMost(WAIT).until(() -> ran.contains("after"));
  }

  @Test
  void everyKeyOfAQueueHasATimeToLive() throws Exception {
    JobQueue<String> queue = shared();
    queue.work(1, job -> {
      if (job.payload().startsWith("poison")) {
        throw new IllegalStateException("poison");
      }
    });
    queue.submit("poison", JobOptions.DEFAULT.retry(RetryPolicy.NONE).idempotencyKey("once"));
    queue.submit("later", JobOptions.DEFAULT.delay(Duration.ofMinutes(5)));
    queue.submit("now");
    await().atMost(WAIT).until(() -> queue.stats().dead() == 1 && queue.stats().succeeded() == 1);
    List<String> keys = new ArrayList<>();
    try (Jedis jedis = RedisServers.standalone().connect()) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("distkit:jobs:{" + name + "}:*"));
        keys.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      assertThat(keys).contains("distkit:jobs:{" + name + "}:k:once", "distkit:jobs:{" + name + "}:x",
          "distkit:jobs:{" + name + "}:d");
      for (String key : keys) {
        assertThat(jedis.pttl(key)).as(key).isPositive();
      }
      byte[] stored = jedis.hget(("distkit:jobs:{" + name + "}:p").getBytes(StandardCharsets.UTF_8),
          queue.deadLetters(1).get(0).id().getBytes(StandardCharsets.UTF_8));
      assertThat(VersionedCodec.versionOf(stored)).isEqualTo(1);
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    RedisBackend backend = RedisBackend.create(client(RedisServers.standalone().hostAndPort()));
    assertThatThrownBy(() -> RedisJobQueue.builder(backend, "q", Codec.utf8()).lease(Duration.ofMillis(10)))
        .hasMessage("lease (PT0.01S) must be at least 300 ms");
    assertThatThrownBy(() -> RedisJobQueue.builder(backend, "q", Codec.utf8()).claimBatch(0))
        .hasMessage("claimBatch (0) must be 1 to 128");
    assertThatThrownBy(() -> RedisJobQueue.builder(backend, " ", Codec.utf8())).hasMessageContaining("queue name");
    JobQueue<String> queue = closeAfter(RedisJobQueue.builder(backend, name, Codec.utf8())
        .retention(Duration.ofHours(1)).deduplicationWindow(Duration.ofMinutes(1)).scheduler(scheduler).build());
    assertThatThrownBy(() -> queue.submit("x", JobOptions.DEFAULT.delay(Duration.ofHours(2))))
        .hasMessage("delay (PT2H) must be shorter than the queue's retention (PT1H)");
    assertThatThrownBy(() -> JobOptions.DEFAULT.priority(1_001)).hasMessage("priority must be -1000 to 1000, got 1001");
    assertThatThrownBy(() -> queue.submitAll(Collections.nCopies(1_001, "x"), JobOptions.DEFAULT))
        .hasMessageContaining("at most 1000 jobs per call").hasMessageContaining("got 1001");
    assertThat(queue.stats().submitted()).as("nothing submitted").isZero();
    assertThatThrownBy(() -> RedisJobQueue.builder(backend, "q", Codec.utf8())
        .failurePolicy(FailurePolicy.FAIL_OPEN)).hasMessageContaining("fails open");
  }
}
