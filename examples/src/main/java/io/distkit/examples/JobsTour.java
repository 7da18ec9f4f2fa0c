package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.session.Backoff;
import io.distkit.pool.jobs.DeadJob;
import io.distkit.pool.jobs.Job;
import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobStats;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.RetryPolicy;
import io.distkit.pool.jobs.local.LocalJobQueue;
import io.distkit.pool.jobs.redis.RedisJobQueue;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Tour's job queue section: jobs run by workers, a duplicate ignored, a delayed job, a poison job retried into
 * the dead-letter list and replayed once fixed, and a drain; on Redis, two JVMs' workers on one queue and a drain
 * whose unfinished job another JVM runs.
 */
final class JobsTour implements TourSection {

  private static final RetryPolicy THREE_QUICK_TRIES =
      new RetryPolicy(3, Backoff.fixed(Duration.ofMillis(50)), Duration.ZERO);

  @Override
  public void runLocal(PrintStream out) {
    heading(out, "jobs: a queue and its workers in this JVM");
    Set<String> broken = ConcurrentHashMap.newKeySet();
    broken.add("resize photo-9.jpg");
    try (JobQueue<String> queue = LocalJobQueue.<String>builder("tour-jobs").build()) {
      JobWorkers workers = queue.work(3, job -> {
        if (broken.contains(job.payload())) {
          throw new IllegalStateException("corrupt file");
        }
      });
      queue.submit("resize photo-1.jpg", JobOptions.DEFAULT.idempotencyKey("photo-1"));
      boolean duplicate = queue.submit("resize photo-1.jpg", JobOptions.DEFAULT.idempotencyKey("photo-1"))
          .duplicate();
      queue.submit("resize photo-2.jpg", JobOptions.DEFAULT.delay(Duration.ofMillis(200)));
      queue.submit("resize photo-9.jpg", JobOptions.DEFAULT.retry(THREE_QUICK_TRIES));
      waitUntil(queue, s -> s.succeeded() == 2 && s.dead() == 1);
      out.println("photo-1 submitted twice with one idempotency key: the second ignored -> " + duplicate);
      out.println("photo-2 delayed 200 ms, then done; photo-9 failed 3 attempts -> dead-letter list");
      List<DeadJob<String>> dead = queue.deadLetters(10);
      out.println("dead: " + dead.get(0).payload() + " after " + dead.get(0).attempts() + " attempts ("
          + dead.get(0).lastFailure() + ")");
      broken.clear(); // the file was fixed
      queue.replay(dead.get(0).id());
      waitUntil(queue, s -> s.succeeded() == 3);
      out.println("replayed once fixed -> done; " + queue.stats().succeeded() + " done, " + queue.stats().retried()
          + " retries, " + queue.stats().dead() + " dead");
      out.println("drain: " + (workers.close(Duration.ofSeconds(5)) ? "every attempt finished in time"
          : "unfinished jobs went back to the queue"));
    }
  }

  private static void waitUntil(JobQueue<String> queue, java.util.function.Predicate<JobStats> done) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.test(queue.stats())) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("the jobs did not finish: " + queue.stats());
      }
      try {
        Thread.sleep(10); // the tour waits for the workers: a person watches, nothing is timed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void runRedis(PrintStream out, RedisBackend redis, String where) {
    heading(out, "jobs: one queue, two JVMs' workers, on Redis at " + where);
    String name = "tour-jobs-" + UUID.randomUUID();
    Map<String, AtomicInteger> ranOn = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    CountDownLatch longJobStarted = new CountDownLatch(1);
    AtomicLong drainedToken = new AtomicLong();
    // two queue objects on one queue: the two JVMs of a fleet (keys vanish 10 minutes after the tour)
    try (JobQueue<String> jvm1 = redisQueue(redis, name);
        JobQueue<String> jvm2 = redisQueue(redis, name)) {
      JobWorkers workers1 = jvm1.work(2, job -> count(ranOn, runs, "jvm-1", job.payload()));
      JobWorkers workers2 = jvm2.work(2, job -> {
        count(ranOn, runs, "jvm-2", job.payload());
        if (job.payload().equals("long job")) {
          drainedToken.set(job.token().value());
          longJobStarted.countDown();
          Thread.sleep(60_000); // until the drain interrupts it
        }
      });
      List<String> twenty = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        twenty.add("job-" + i);
      }
      jvm1.submitAll(twenty, JobOptions.DEFAULT); // one round trip for the 20
      waitUntil(jvm1, s -> s.succeeded() == 20);
      out.println("jvm-1 submits 20 jobs in one call -> both JVMs ran them, each once: "
          + runs.values().stream().allMatch(n -> n.get() == 1) + " (" + (runs.size() == 20 ? 20 : runs.size())
          + " jobs; jvm-1 ran some: " + (ranOn.containsKey("jvm-1") ? "yes" : "no") + ", jvm-2 ran some: "
          + (ranOn.containsKey("jvm-2") ? "yes" : "no") + ")");

      workers1.close(Duration.ofSeconds(5)); // jvm-1 stops working: the long job goes to jvm-2
      jvm1.submit("long job");
      if (!longJobStarted.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the long job did not start: " + jvm1.stats());
      }
      boolean finished = workers2.close(Duration.ofMillis(300));
      out.println("jvm-2 drains with 300 ms to spare while the long job runs -> finished in time: " + finished
          + "; the job is back in the queue: " + jvm1.stats().queued() + " queued");
      List<Job<String>> attempts = new CopyOnWriteArrayList<>();
      JobWorkers again = jvm1.work(1, attempts::add);
      waitUntil(jvm1, s -> s.succeeded() == 21);
      out.println("jvm-1 works again -> it runs the long job, attempt " + attempts.get(0).attempt()
          + " (a drained attempt does not count), with a newer fencing token: "
          + (attempts.get(0).token().value() > drainedToken.get()));
      again.close(Duration.ofSeconds(5));
      out.println("underneath: one script per dispatcher call acknowledges what finished and claims the next batch; "
          + "each attempt holds a lease on the server's clock, extended while it runs; a JVM that dies loses its "
          + "jobs to the others after the lease, and its late outcome is refused");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JobQueue<String> redisQueue(RedisBackend redis, String name) {
    return RedisJobQueue.builder(redis, name, Codec.utf8()).retention(Duration.ofMinutes(10)).build();
  }

  private static void count(Map<String, AtomicInteger> ranOn, Map<String, AtomicInteger> runs, String jvm,
      String payload) {
    ranOn.computeIfAbsent(jvm, j -> new AtomicInteger()).incrementAndGet();
    runs.computeIfAbsent(payload, p -> new AtomicInteger()).incrementAndGet();
  }
}
