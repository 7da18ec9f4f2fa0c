package io.distkit.benchmarks.hashing;

import io.distkit.benchmarks.report.ReportGroup;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of finding a key's node, at 10, 100 and 1,000 nodes.
 */
@ReportGroup(
    title = "Consistent hashing, lookup",
    about = "Lookups per microsecond, one thread, cycling through `inputs` random keys (16,384, or 65,536 "
        + "whose keys, hashes and large tables no longer all fit in cache) whose 64-bit hashes "
        + "(MurmurHash3) were computed in setup. Baselines: `treemap-ring`, the classic ring, 160 points per "
        + "node in a `TreeMap<Long, String>`, `ceilingEntry` of the hash; `guava-jump`, Guava's "
        + "`Hashing.consistentHash(hash, n)`. distkit's `RING` (160 points per node), `JUMP`, `RENDEZVOUS` and "
        + "`MAGLEV` (65,537 slots) get the same hash through `nodeIndex(hash)`, their allocation-free lookup. "
        + "`distkit-ring-locate` is the ring as callers use it, `locate(key)`, hashing the key (XXH3) inside "
        + "the measurement; `distkit-ketama` goes through `locate(key)` too, MD5 included, since its points "
        + "are 32-bit MD5 prefixes.")
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HashingLookupBenchmark {

  /** The locator under test. */
  @Param({NodeLookups.DISTKIT_RING, NodeLookups.DISTKIT_RING_LOCATE, NodeLookups.DISTKIT_KETAMA,
      NodeLookups.DISTKIT_JUMP, NodeLookups.DISTKIT_RENDEZVOUS, NodeLookups.DISTKIT_MAGLEV,
      NodeLookups.TREEMAP_RING, NodeLookups.GUAVA_JUMP})
  public String implementation;

  /** How many nodes. */
  @Param({"10", "100", "1000"})
  public int nodes;

  /** How many distinct keys the lookups cycle through. */
  @Param({"16384", "65536"})
  public int inputs;

  private NodeLookup lookup;
  private LookupKeys keys;
  private int mask;
  private int next;

  /** Builds the locator and the keys. */
  @Setup(Level.Trial)
  public void setUp() {
    String[] names = new String[nodes];
    for (int i = 0; i < nodes; i++) {
      names[i] = "node-" + i;
    }
    lookup = NodeLookups.create(implementation, names);
    keys = new LookupKeys(42, inputs);
    mask = inputs - 1;
  }

  /**
   * One lookup.
   *
   * @return the node, consumed by JMH
   */
  @Benchmark
  @Threads(1)
  public String lookup() {
    int i = next++ & mask;
    return lookup.nodeFor(keys.key(i), keys.hash(i));
  }
}
