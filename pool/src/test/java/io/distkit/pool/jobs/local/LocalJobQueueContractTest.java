package io.distkit.pool.jobs.local;

import io.distkit.core.codec.Codec;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobQueueContractTest;
import java.time.Duration;

/** The job queue contract on the local queue (payloads are kept as objects: the codec is not needed). */
class LocalJobQueueContractTest extends JobQueueContractTest {

  @Override
  protected <P> JobQueue<P> newQueue(String name, Codec<P> codec, Duration deduplicationWindow) {
    return LocalJobQueue.<P>builder(name).deduplicationWindow(deduplicationWindow).scheduler(scheduler).build();
  }
}
