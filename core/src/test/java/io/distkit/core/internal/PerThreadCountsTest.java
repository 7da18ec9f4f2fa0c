package io.distkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PerThreadCountsTest {

  @Test
  void countsExactlyFromMoreThreadsThanItHasStripes() throws Exception {
    PerThreadCounts counts = new PerThreadCounts(3);
    int threads = 3 * PerThreadCounts.STRIPES + 5; // most threads share the LongAdder, some own a stripe
    int each = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        for (int i = 0; i < each; i++) {
          counts.increment(i % 3 == 0 ? 1 : 0);
          counts.add(2, 2);
        }
      });
      thread.start();
      running.add(thread);
    }
    start.countDown();
    for (Thread thread : running) {
      thread.join();
    }
    long denied = (long) threads * ((each + 2) / 3);
    assertThat(counts.sum(1)).isEqualTo(denied);
    assertThat(counts.sum(0)).isEqualTo((long) threads * each - denied);
    assertThat(counts.sum(2)).isEqualTo(2L * threads * each);
  }
}
