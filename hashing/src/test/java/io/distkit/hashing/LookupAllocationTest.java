package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lookups of String and long keys allocate nothing (KETAMA excepted: MD5). Counted with the JVM's per-thread
 * allocation counter, not timed: the JMH benchmarks measure speed.
 */
class LookupAllocationTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Leaves room for the counter's own granularity; one allocation per lookup would be 100,000s of bytes. */
  private static final long NOISE_BYTES = 1024;

  // arrays, not lists: iterating a list would allocate iterators of the test's own
  private static final String[] ASCII_KEYS = LocatorAnalysis.sampleKeys(1_000, 3).toArray(String[]::new);
  private static final String[] OTHER_KEYS =
      java.util.Arrays.stream(ASCII_KEYS).map(k -> "ключ-" + k + "-🙂").toArray(String[]::new);

  private static long allocatedBy(Runnable work) {
    long id = Thread.currentThread().getId();
    work.run(); // warm up: class loading, the per-thread buffer, JIT
    work.run();
    long before = THREADS.getThreadAllocatedBytes(id);
    work.run();
    return THREADS.getThreadAllocatedBytes(id) - before;
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = "KETAMA", mode = EnumSource.Mode.EXCLUDE)
  void lookupsOfStringAndLongKeysAllocateNothing(Algorithm algorithm) {
    NodeLocator<Node> locator = TestNodes.config(algorithm).locator(TestNodes.named("n", 20));
    int[] replicas = new int[3];
    long[] sink = new long[1];
    Runnable lookups = () -> {
      for (int round = 0; round < 100; round++) {
        for (String key : ASCII_KEYS) {
          sink[0] += locator.locate(key).weight();
          sink[0] += locator.nodeIndices(locator.hash(key), replicas);
        }
        for (String key : OTHER_KEYS) {
          sink[0] += locator.locate(key).weight();
        }
        for (long key = 0; key < 1_000; key++) {
          sink[0] += locator.locate(key * 7919).weight();
        }
      }
    };
    assertThat(allocatedBy(lookups)).as("bytes allocated by 300,000 lookups").isLessThan(NOISE_BYTES);
    assertThat(sink[0]).isPositive();
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = "RING")
  void boundedLoadAcquireAndReleaseAllocateNothing(Algorithm algorithm) {
    BoundedLoadBalancer<Node> balancer =
        BoundedLoadBalancer.create(TestNodes.config(algorithm).locator(TestNodes.named("n", 20)), 1.25);
    Runnable requests = () -> {
      for (int round = 0; round < 100; round++) {
        for (String key : ASCII_KEYS) {
          balancer.release(balancer.acquire(key));
        }
      }
    };
    assertThat(allocatedBy(requests)).as("bytes allocated by 100,000 requests").isLessThan(NOISE_BYTES);
  }
}
