package io.distkit.examples.snippets;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.pool.jobs.GroupLimits;
import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.redis.RedisJobQueue;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

class RedisJobsQuickStart {
  public static void main(String[] args) throws InterruptedException {
    HostAndPort redis = HostAndPort.from(args.length > 0 ? args[0] : "localhost:6379");
    CountDownLatch done = new CountDownLatch(3);
    try (RedisClient jedis = RedisClient.builder().hostAndPort(redis).build();
        JobQueue<String> thumbnails = RedisJobQueue.builder(RedisBackend.create(jedis), "thumbnails", Codec.utf8())
            .lease(Duration.ofSeconds(10))     // a worker silent for 10 s loses its job to another
            .build()) {
      JobWorkers workers = thumbnails.work(8, job -> {
        System.out.println("resizing " + job.payload() + " (attempt " + job.attempt() + ", token "
            + job.token().value() + ")");  // any JVM's workers on this queue may run it
        done.countDown();
      }, GroupLimits.NONE.maxConcurrent(2)); // at most 2 jobs of one group at once in these workers
      thumbnails.submit("cat.jpg", JobOptions.DEFAULT.group("user-7"));
      thumbnails.submit("dog.jpg", JobOptions.DEFAULT.group("user-7").priority(10));
      thumbnails.submit("owl.jpg", JobOptions.DEFAULT.delay(Duration.ofMillis(100)));
      done.await();
      workers.close(Duration.ofSeconds(5));
      System.out.println(thumbnails.stats().succeeded() + " resized");
    }
  }
}
