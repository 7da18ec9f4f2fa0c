package io.distkit.pool.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * A job whose worker died is run by an idle worker of another JVM within the lease plus 1 s, even when that idle
 * worker heard nothing of the job (no wake-up message: the job was submitted and claimed by the dead JVM in a way
 * that published none) and the lease is shorter than the poll interval.
 */
class RedisJobQueueRedeliveryTest {

  private static final byte[] NO_CHANNEL = new byte[0];

  @Test
  void anIdleWorkerRunsAJobWhoseWorkerDiedWithinTheLeasePlusOneSecond() throws Exception {
    String name = TestKeys.unique("redeliver");
    Duration lease = Duration.ofSeconds(1); // shorter than the default poll interval, 5 s
    try (RedisClient client = RedisServers.standalone().newClient();
        Scheduler scheduler = Scheduler.create("redelivery-test")) {
      RedisBackend backend = RedisBackend.create(client);
      RedisQueue<Long> queue = (RedisQueue<Long>) RedisJobQueue.builder(backend, name, Codec.longs()).lease(lease)
          .scheduler(scheduler).build();
      BlockingQueue<Long> started = new LinkedBlockingQueue<>();
      try (JobWorkers workers = queue.work(1, job -> started.add(System.nanoTime()))) {
        // the worker's first claim found nothing (it wrote the queue's time): it now waits for a message or a poll
        String counters = RedisKeys.of(RedisKeys.DEFAULT_PREFIX, "jobs").key(name, "s");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.hexists(counters, "now"));

        // another JVM submits a job and claims it without a wake-up (as a sharded-pub/sub caller that died before
        // publishing would), then dies: no extension, no outcome
        submitQuietly(queue, backend, 42L);
        List<?> claimed = (List<?>) backend.eval(JobScripts.CLAIM, queue.claimKeys(), claimArguments(queue));
        long claimedAt = System.nanoTime();
        assertThat(claimed).as("the dead JVM's claim got the job").hasSize(4 + 3);

        Long start = started.poll(10, TimeUnit.SECONDS);
        assertThat(start).as("the job ran again").isNotNull();
        assertThat(Duration.ofNanos(start - claimedAt)).as("from the dead JVM's claim to the run on the idle worker")
            .isLessThanOrEqualTo(lease.plusSeconds(1));
      }
      queue.close();
    }
  }

  private static void submitQuietly(RedisQueue<Long> queue, RedisBackend backend, long payload) {
    List<byte[]> keys = queue.claimKeys(); // r d f h p e x s t
    List<byte[]> args = new ArrayList<>(List.of(queue.time.argument(), queue.retentionMillis, NO_CHANNEL,
        RedisQueue.ascii(3_600_000), RedisQueue.ascii(1)));
    args.add("quiet-1".getBytes(StandardCharsets.US_ASCII));
    args.add(queue.codec.encode(payload));
    args.add(RedisQueue.ascii(0)); // delay
    args.add(RedisQueue.ascii(1_000)); // priority band of priority 0
    args.add(RedisQueue.ascii(3));
    args.add(RedisQueue.ascii(0)); // no deadline
    args.add(JobHeader.javaPart(RetryPolicy.DEFAULT.backoff(), null).getBytes(StandardCharsets.US_ASCII));
    args.add(RedisQueue.ascii(0)); // no idempotency key
    List<?> reply = (List<?>) backend.eval(JobScripts.SUBMIT,
        List.of(keys.get(0), keys.get(1), keys.get(3), keys.get(4), keys.get(7)), args);
    assertThat((Long) reply.get(1)).as("the script left the wake-up to its caller").isEqualTo(1L);
  }

  private static List<byte[]> claimArguments(RedisQueue<Long> queue) {
    return List.of(queue.time.argument(), queue.retentionMillis, NO_CHANNEL, RedisQueue.ascii(1),
        RedisQueue.ascii(queue.leaseMicros), RedisQueue.ascii(10_000), RedisQueue.ascii(0));
  }
}
