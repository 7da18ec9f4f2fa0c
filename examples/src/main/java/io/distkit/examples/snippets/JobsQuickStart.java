package io.distkit.examples.snippets;

import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.RetryPolicy;
import io.distkit.pool.jobs.local.LocalJobQueue;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

class JobsQuickStart {
  public static void main(String[] args) throws InterruptedException {
    CountDownLatch sent = new CountDownLatch(2);
    try (JobQueue<String> emails = LocalJobQueue.<String>builder("emails").build()) {
      JobWorkers workers = emails.work(4, job -> {           // 4 attempts at once; return = done, throw = retry
        System.out.println("sending " + job.payload() + " (attempt " + job.attempt() + ")");
        sent.countDown();
      });
      emails.submit("welcome to ada@example.com",
          JobOptions.DEFAULT.idempotencyKey("welcome:ada"));  // a second submit with this key is ignored
      emails.submit("reminder to ada@example.com",
          JobOptions.DEFAULT.delay(Duration.ofMillis(200))   // not before 200 ms from now
              .retry(RetryPolicy.DEFAULT.withMaxAttempts(3)));  // then to the dead-letter list
      sent.await();
      workers.close(Duration.ofSeconds(5));                   // drain: unfinished jobs go back to the queue
      System.out.println(emails.stats().succeeded() + " sent");
    }
  }
}
