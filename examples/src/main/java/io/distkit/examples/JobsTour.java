package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.session.Backoff;
import io.distkit.pool.jobs.DeadJob;
import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobStats;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.RetryPolicy;
import io.distkit.pool.jobs.local.LocalJobQueue;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Tour's job queue section: jobs run by workers, a duplicate ignored, a delayed job, a poison job retried into
 * the dead-letter list and replayed once fixed, and a drain.
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
    heading(out, "jobs: on Redis at " + where);
    out.println("the Redis job queue (at least once across JVMs) is not built yet: the local queue above is in "
        + "memory, for work that need not survive its JVM");
  }
}
