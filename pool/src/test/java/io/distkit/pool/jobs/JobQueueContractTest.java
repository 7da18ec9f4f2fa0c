package io.distkit.pool.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.session.Backoff;
import io.distkit.core.session.FencingToken;
import io.distkit.core.codec.Codec;
import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.LockService;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.local.LocalRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every job queue promises, with real workers and real time (short delays and backoffs): run on the local
 * queue and on Redis standalone and Cluster.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class JobQueueContractTest {

  protected static final Duration WAIT = Duration.ofSeconds(20);
  private static final RetryPolicy QUICK = new RetryPolicy(3, Backoff.fixed(Duration.ofMillis(20)), Duration.ZERO);

  protected final Scheduler scheduler = Scheduler.create("jobs-test");
  private final List<AutoCloseable> opened = new ArrayList<>();

  /**
   * A new queue object (in Redis: on a client of its own, as another JVM would have).
   *
   * @param name the queue's name
   * @param codec the payloads' codec
   * @param deduplicationWindow how long idempotency keys are remembered
   * @param <P> the payloads' type
   * @return the queue, closed by the caller
   */
  protected abstract <P> JobQueue<P> newQueue(String name, Codec<P> codec, Duration deduplicationWindow);

  /**
   * The lock service of one more JVM of a fleet: on Redis, on a client of its own; locally, this JVM's one lock
   * service (a local fleet is one JVM).
   *
   * @return the service, closed after the test
   */
  protected abstract LockService fleetLockService();

  protected <T extends AutoCloseable> T closeAfter(T resource) {
    opened.add(resource);
    return resource;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    scheduler.close();
  }

  protected JobQueue<String> queue() {
    return closeAfter(newQueue(TestKeys.unique("jobs"), Codec.utf8(), Duration.ofHours(1)));
  }

  @Test
  void everyJobRunsOnceAndSucceeds() {
    JobQueue<String> queue = queue();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    JobWorkers workers = queue.work(4, job -> runs.computeIfAbsent(job.payload(), p -> new AtomicInteger())
        .incrementAndGet());
    for (int i = 0; i < 1_000; i++) {
      assertThat(queue.submit("job-" + i).duplicate()).isFalse();
    }
    await().atMost(WAIT).until(() -> queue.stats().succeeded() == 1_000);
    assertThat(runs).hasSize(1_000);
    assertThat(runs.values()).allMatch(count -> count.get() == 1);
    JobStats stats = queue.stats();
    assertThat(stats.queued()).isZero();
    assertThat(stats.submitted()).isEqualTo(1_000);
    assertThat(stats.started()).isEqualTo(1_000);
    assertThat(stats.failed()).isZero();
    assertThat(workers.close(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void aDelayedJobStartsAtItsDueTimeAndNotBefore() {
    JobQueue<String> queue = queue();
    List<Long> startedAt = new CopyOnWriteArrayList<>();
    queue.work(2, job -> startedAt.add(System.nanoTime()));
    long submitted = System.nanoTime();
    queue.submit("later", JobOptions.DEFAULT.delay(Duration.ofMillis(300)));
    await().atMost(WAIT).until(() -> startedAt.size() == 1);
    long afterMillis = TimeUnit.NANOSECONDS.toMillis(startedAt.get(0) - submitted);
    assertThat(afterMillis).as("not before its delay").isGreaterThanOrEqualTo(300);
    assertThat(afterMillis).as("within 100 ms of its due time").isLessThan(400);
  }

  @Test
  void dueJobsRunHighestPriorityFirstThenInSubmissionOrder() throws Exception {
    JobQueue<String> queue = queue();
    CountDownLatch blocker = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    queue.work(1, job -> {
      if (job.payload().equals("blocker")) {
        blocker.await();
      }
      order.add(job.payload());
    });
    queue.submit("blocker");
    await().atMost(WAIT).until(() -> queue.stats().running() == 1);
    queue.submit("low-1", JobOptions.DEFAULT.priority(1));
    queue.submit("high", JobOptions.DEFAULT.priority(9));
    queue.submit("low-2", JobOptions.DEFAULT.priority(1));
    queue.submit("mid", JobOptions.DEFAULT.priority(5));
    blocker.countDown();
    await().atMost(WAIT).until(() -> order.size() == 5);
    assertThat(order).containsExactly("blocker", "high", "mid", "low-1", "low-2");
  }

  @Test
  void aFailedAttemptIsRetriedAfterItsBackoffWithANewerToken() {
    JobQueue<String> queue = queue();
    List<FencingToken> tokens = new CopyOnWriteArrayList<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    List<Long> times = new CopyOnWriteArrayList<>();
    queue.work(2, job -> {
      tokens.add(job.token());
      attempts.add(job.attempt());
      times.add(System.nanoTime());
      if (job.attempt() < 3) {
        throw new IllegalStateException("flaky, attempt " + job.attempt());
      }
    });
    queue.submit("flaky", JobOptions.DEFAULT.retry(QUICK.withBackoff(Backoff.fixed(Duration.ofMillis(100)))));
    await().atMost(WAIT).until(() -> queue.stats().succeeded() == 1);
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(tokens).isSorted().doesNotHaveDuplicates();
    assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(1) - times.get(0))).as("the backoff held").isGreaterThanOrEqualTo(100);
    JobStats stats = queue.stats();
    assertThat(stats.failed()).isEqualTo(2);
    assertThat(stats.retried()).isEqualTo(2);
    assertThat(stats.dead()).isZero();
  }

  @Test
  void aPoisonJobEndsInTheDeadLetterListAfterItsAttemptsAndCanBeReplayed() {
    JobQueue<String> queue = queue();
    Set<String> healed = ConcurrentHashMap.newKeySet();
    AtomicInteger runs = new AtomicInteger();
    queue.work(2, job -> {
      runs.incrementAndGet();
      if (!healed.contains(job.payload())) {
        throw new IllegalArgumentException("cannot parse " + job.payload());
      }
    });
    String id = queue.submit("poison", JobOptions.DEFAULT.retry(QUICK)).jobId();
    await().atMost(WAIT).until(() -> queue.stats().dead() == 1);
    assertThat(runs).hasValue(3);
    List<DeadJob<String>> dead = queue.deadLetters(10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).id()).isEqualTo(id);
    assertThat(dead.get(0).attempts()).isEqualTo(3);
    assertThat(dead.get(0).lastFailure()).contains("cannot parse poison");

    healed.add("poison");
    assertThat(queue.replay(id)).isTrue();
    assertThat(queue.replay(id)).as("no longer dead").isFalse();
    await().atMost(WAIT).until(() -> queue.stats().succeeded() == 1);
    assertThat(queue.stats().dead()).isZero();
    assertThat(runs).hasValue(4);
  }

  @Test
  void noRetryStartsAfterTheDeadline() {
    JobQueue<String> queue = queue();
    AtomicInteger runs = new AtomicInteger();
    queue.work(1, job -> {
      runs.incrementAndGet();
      throw new IllegalStateException("down");
    });
    queue.submit("hurry", JobOptions.DEFAULT.retry(new RetryPolicy(100, Backoff.fixed(Duration.ofMillis(400)),
        Duration.ofMillis(1_000))));
    await().atMost(WAIT).until(() -> queue.stats().dead() == 1);
    // attempts at about 0, 400 and 800 ms; a fourth would start after the 1 s deadline (two if one starts late)
    assertThat(runs.get()).isBetween(2, 3);
  }

  @Test
  void aSecondSubmissionWithTheSameKeyWithinTheWindowIsIgnoredAndSaysSo() {
    JobQueue<String> queue = closeAfter(newQueue(TestKeys.unique("dedup"), Codec.utf8(), Duration.ofMillis(300)));
    Submission first = queue.submit("charge order 7", JobOptions.DEFAULT.idempotencyKey("order-7"));
    Submission again = queue.submit("charge order 7", JobOptions.DEFAULT.idempotencyKey("order-7"));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.jobId()).isEqualTo(first.jobId());
    assertThat(queue.submit("another", JobOptions.DEFAULT.idempotencyKey("order-8")).duplicate()).isFalse();
    assertThat(queue.stats().duplicates()).isEqualTo(1);
    assertThat(queue.stats().queued()).isEqualTo(2);
    await().atMost(WAIT).until(() -> !queue.submit("charge order 7", JobOptions.DEFAULT.idempotencyKey("order-7"))
        .duplicate());
  }

  @Test
  void aDrainThatRunsOutOfTimeGivesUnfinishedJobsBackAndIgnoresTheirLateOutcome() throws Exception {
    JobQueue<String> queue = queue();
    CountDownLatch stuck = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    JobWorkers first = queue.work(1, job -> {
      try {
        stuck.await(); // a handler that takes too long, and stops when interrupted
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw e;
      }
    });
    queue.submit("long job");
    await().atMost(WAIT).until(() -> queue.stats().running() == 1);
    assertThat(first.close(Duration.ofMillis(200))).as("not finished in time").isFalse();
    await().atMost(WAIT).until(() -> interrupted.get() == 1);
    JobStats stats = queue.stats();
    assertThat(stats.queued()).as("given back to the queue").isEqualTo(1);
    assertThat(stats.running()).isZero();
    assertThat(stats.failed()).as("the interrupted attempt's failure is stale: not counted").isZero();

    List<Integer> attempts = new CopyOnWriteArrayList<>();
    queue.work(1, job -> attempts.add(job.attempt()));
    await().atMost(WAIT).until(() -> queue.stats().succeeded() == 1);
    assertThat(attempts).as("the drained attempt does not count").containsExactly(1);
  }

  @Test
  void aDrainWaitsForAttemptsUnderWayAndStartsNoNewOne() throws Exception {
    JobQueue<String> queue = queue();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    JobWorkers workers = queue.work(1, job -> {
      runs.incrementAndGet();
      release.await();
    });
    queue.submit("a");
    queue.submit("b");
    await().atMost(WAIT).until(() -> queue.stats().running() == 1);
    Thread releaser = new Thread(() -> {
      await().atMost(WAIT).until(() -> workers.running() == 1);
      release.countDown();
    });
    releaser.start();
    assertThat(workers.close(Duration.ofSeconds(10))).isTrue();
    releaser.join();
    assertThat(runs).as("b did not start during the drain").hasValue(1);
    assertThat(queue.stats().queued()).isEqualTo(1);
  }

  @Test
  void randomFailuresAndConcurrentSubmittersLoseNoJobAndNeverRunOneTwiceAtOnce() throws Exception {
    JobQueue<Long> queue = closeAfter(newQueue(TestKeys.unique("checked"), Codec.longs(), Duration.ofHours(1)));
    int jobs = 2_000;
    Set<Long> running = ConcurrentHashMap.newKeySet();
    Map<Long, AtomicInteger> successes = new ConcurrentHashMap<>();
    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    queue.work(6, job -> {
      if (!running.add(job.payload())) {
        violations.add("job " + job.payload() + " ran twice at once");
      }
      try {
        if (new SplittableRandom(job.token().value()).nextInt(4) == 0) {
          throw new IllegalStateException("random failure");
        }
        successes.computeIfAbsent(job.payload(), p -> new AtomicInteger()).incrementAndGet();
      } finally {
        running.remove(job.payload());
      }
    });
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int from = t * jobs / 4;
      Thread submitter = new Thread(() -> {
        for (long i = from; i < from + jobs / 4; i++) {
          queue.submit(i, JobOptions.DEFAULT.retry(new RetryPolicy(3, Backoff.fixed(Duration.ofMillis(1)),
              Duration.ZERO)).priority((int) (i % 3)));
        }
      });
      submitter.start();
      submitters.add(submitter);
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    await().atMost(WAIT).until(() -> {
      JobStats s = queue.stats();
      return s.queued() == 0 && s.running() == 0;
    });
    assertThat(violations).isEmpty();
    JobStats stats = queue.stats();
    Set<Long> dead = ConcurrentHashMap.newKeySet();
    queue.deadLetters(jobs).forEach(d -> dead.add(d.payload()));
    for (long i = 0; i < jobs; i++) {
      boolean succeeded = successes.containsKey(i);
      assertThat(succeeded || dead.contains(i)).as("job " + i + " lost").isTrue();
      assertThat(succeeded && dead.contains(i)).as("job " + i + " both done and dead").isFalse();
      if (succeeded) {
        assertThat(successes.get(i).get()).as("job " + i + " acknowledged once").isEqualTo(1);
      }
    }
    assertThat(stats.succeeded() + stats.deadLettered()).isEqualTo(jobs);
    assertThat(stats.failed()).isEqualTo(stats.retried() + stats.deadLettered());
  }

  @Test
  void aGroupAtItsConcurrencyWaitsItsTurnWithoutSpendingAttempts() {
    JobQueue<String> queue = queue();
    Map<String, AtomicInteger> runningByGroup = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> mostByGroup = new ConcurrentHashMap<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    for (String group : List.of("small", "big", "none")) { // in this order: the first 6 due are all small
      for (int i = 0; i < 12; i++) {
        queue.submit(group + ":" + i, group.equals("none") ? JobOptions.DEFAULT : JobOptions.DEFAULT.group(group));
      }
    }
    queue.work(6, job -> {
      String group = job.payload().substring(0, job.payload().indexOf(':'));
      int now = runningByGroup.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
      mostByGroup.computeIfAbsent(group, g -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      attempts.add(job.attempt());
      Thread.sleep(20); // a job that takes a while, so that attempts of one group overlap
      runningByGroup.get(group).decrementAndGet();
    }, GroupLimits.NONE.maxConcurrent(2).maxConcurrent("big", 4).deferral(Duration.ofMillis(5)));
    await().atMost(WAIT).until(() -> queue.stats().succeeded() == 36);
    assertThat(mostByGroup.get("small")).as("group small: at most 2 at once").hasValueBetween(1, 2);
    assertThat(mostByGroup.get("big")).as("group big: at most 4 at once").hasValueBetween(1, 4);
    assertThat(attempts).as("a deferral is not an attempt").containsOnly(1);
    assertThat(queue.stats().deferred()).as("6 workers, 2 + 4 slots: some jobs waited").isPositive();
  }

  @Test
  void aFleetWideGroupLimitHoldsAcrossTheWorkersOfSeveralJvms() {
    String name = TestKeys.unique("fleet-group");
    JobQueue<String> first = closeAfter(newQueue(name, Codec.utf8(), Duration.ofHours(1)));
    JobQueue<String> second = closeAfter(newQueue(name, Codec.utf8(), Duration.ofHours(1)));
    String group = TestKeys.unique("partner-api");
    AtomicInteger runningNow = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    JobHandler<String> call = job -> {
      most.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
      Thread.sleep(30); // a call that takes a while, so that attempts overlap
      runningNow.decrementAndGet();
      done.incrementAndGet();
    };
    first.work(4, call, GroupLimits.NONE.fleetMaxConcurrent(fleetLockService(), 2)
        .deferral(Duration.ofMillis(5)));
    second.work(4, call, GroupLimits.NONE.fleetMaxConcurrent(fleetLockService(), 2)
        .deferral(Duration.ofMillis(5)));
    for (int i = 0; i < 8; i++) {
      first.submit("call " + i, JobOptions.DEFAULT.group(group));
      second.submit("call " + (8 + i), JobOptions.DEFAULT.group(group));
    }
    await().atMost(WAIT).until(() -> done.get() == 16);
    assertThat(most.get()).as("8 workers in two JVMs, 2 permits for the group").isBetween(1, 2);
    assertThat(first.stats().deferred() + second.stats().deferred()).as("jobs waited for a permit").isPositive();
  }

  @Test
  void aGroupsRateLimiterSpacesItsAttempts() {
    JobQueue<String> queue = queue();
    List<Long> startedAt = new CopyOnWriteArrayList<>();
    RateLimiter fivePerSecond = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.GCRA, 5, Duration.ofSeconds(1))).build();
    queue.work(4, job -> startedAt.add(System.nanoTime()), GroupLimits.NONE.rateLimiter(fivePerSecond));
    for (int i = 0; i < 10; i++) {
      queue.submit("call " + i, JobOptions.DEFAULT.group("partner-api"));
    }
    await().atMost(WAIT).until(() -> queue.stats().succeeded() == 10);
    long spanMillis = TimeUnit.NANOSECONDS.toMillis(
        Collections.max(startedAt) - Collections.min(startedAt));
    // GCRA at 5/s with a burst of 5: the first 5 at once, then one per 200 ms
    assertThat(spanMillis).as("10 starts at 5 per second").isGreaterThanOrEqualTo(900);
    assertThat(queue.stats().deferred()).isPositive();
  }

  @Test
  void badInputIsRefusedNamingTheValue() {
    JobQueue<String> queue = queue();
    assertThatThrownBy(() -> queue.work(0, job -> { })).hasMessageContaining("concurrency");
    assertThatThrownBy(() -> new RetryPolicy(0, Backoff.fixed(Duration.ofSeconds(1)), Duration.ZERO))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> JobOptions.DEFAULT.delay(Duration.ofSeconds(-1)))
        .hasMessage("delay (PT-1S) must not be negative");
    assertThatThrownBy(() -> JobOptions.DEFAULT.idempotencyKey("")).hasMessageContaining("idempotencyKey");
    assertThatThrownBy(() -> JobOptions.DEFAULT.group("")).hasMessage("group must be 1 to 1024 chars, got 0");
    assertThatThrownBy(() -> GroupLimits.NONE.maxConcurrent(0)).hasMessageContaining("attempts");
    assertThatThrownBy(() -> queue.work(1, job -> { }, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("limits");
    queue.close();
    assertThatThrownBy(() -> queue.submit("late")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }
}
