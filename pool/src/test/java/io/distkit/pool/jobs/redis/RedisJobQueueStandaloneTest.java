package io.distkit.pool.jobs.redis;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.RedisServers;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobQueueContractTest;
import java.time.Duration;

/** The job queue contract on Redis standalone: each queue object on a client of its own. */
class RedisJobQueueStandaloneTest extends JobQueueContractTest {

  @Override
  protected <P> JobQueue<P> newQueue(String name, Codec<P> codec, Duration deduplicationWindow) {
    RedisBackend backend = RedisBackend.create(closeAfter(RedisServers.standalone().newClient()));
    return RedisJobQueue.builder(backend, name, codec).deduplicationWindow(deduplicationWindow).scheduler(scheduler)
        .build();
  }

  @Override
  protected LockService fleetLockService() {
    return closeAfter(RedisLockService.builder(RedisBackend.create(closeAfter(RedisServers.standalone().newClient())))
        .scheduler(scheduler).build());
  }
}
