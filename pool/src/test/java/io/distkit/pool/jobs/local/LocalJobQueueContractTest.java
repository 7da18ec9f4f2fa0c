package io.distkit.pool.jobs.local;

import io.distkit.core.codec.Codec;
import io.distkit.locks.LockService;
import io.distkit.locks.local.LocalLockService;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobQueueContractTest;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The job queue contract on the local queue (payloads are kept as objects: the codec is not needed). */
class LocalJobQueueContractTest extends JobQueueContractTest {

  private @Nullable LockService locks;

  @Override
  protected <P> JobQueue<P> newQueue(String name, Codec<P> codec, Duration deduplicationWindow) {
    return LocalJobQueue.<P>builder(name).deduplicationWindow(deduplicationWindow).scheduler(scheduler).build();
  }

  @Override
  protected LockService fleetLockService() {
    if (locks == null) {
      locks = closeAfter(LocalLockService.builder().scheduler(scheduler).build());
    }
    return locks;
  }
}
