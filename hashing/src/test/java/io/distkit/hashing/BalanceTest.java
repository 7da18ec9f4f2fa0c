package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Balance as theory says: ring by 1/sqrt(vnodes), Maglev within 1 + n/M, weights honoured. */
class BalanceTest {

  private static final List<String> KEYS = LocatorAnalysis.sampleKeys(400_000, 21);

  @Test
  void ringStandardDeviationFallsAsOneOverTheSquareRootOfVnodes() {
    // exact shares from the arcs (no key sampling noise); over 100 nodes the standard deviation is itself
    // known to about 7%
    List<Node> nodes = TestNodes.named("n", 100);
    double previous = Double.MAX_VALUE;
    for (int vnodes : new int[] {10, 40, 160, 640}) {
      RingLocator<Node> ring = (RingLocator<Node>) LocatorConfig.builder(Algorithm.RING).vnodesPerWeight(vnodes)
          .build().<Node>locator(nodes);
      double sd = relativeStdDev(arcShares(ring));
      // a node's share is a sum of v roughly exponential arcs, so sd = 1/sqrt(v)
      assertThat(sd * Math.sqrt(vnodes)).as("sd × sqrt(%s)", vnodes).isBetween(0.75, 1.25);
      // four times the points, half the deviation (0.65 allows for the estimate's own error)
      assertThat(sd).isLessThan(previous * 0.65);
      previous = sd;
    }
  }

  /** Each node's share of the 2^64 circle: the arcs that end at its points. */
  private static double[] arcShares(RingLocator<Node> ring) {
    double[] shares = new double[ring.size()];
    long[] points = ring.points;
    for (int p = 0; p < points.length; p++) {
      long previous = p == 0 ? points[points.length - 1] : points[p - 1];
      // the unsigned distance around the circle, as a fraction of 2^64
      long arc = points[p] - previous;
      shares[ring.owners[p]] += ((arc >>> 1) * 2.0 + (arc & 1)) / 0x1.0p64;
    }
    return shares;
  }

  private static double relativeStdDev(double[] shares) {
    double mean = 1.0 / shares.length;
    double squares = 0;
    for (double s : shares) {
      squares += (s / mean - 1) * (s / mean - 1);
    }
    return Math.sqrt(squares / shares.length);
  }

  @Test
  void maglevSlotCountsDifferByAtMostOneSoPeakToMeanIsWithinOnePercentAtAHundredSlotsPerNode() {
    for (int n : new int[] {7, 50, 100}) {
      List<Node> nodes = TestNodes.named("m", n);
      int m = Primes.nextPrime(100 * n);
      MaglevLocator<Node> maglev = (MaglevLocator<Node>) LocatorConfig.builder(Algorithm.MAGLEV)
          .maglevTableSize(m).build().<Node>locator(nodes);
      int[] slots = maglev.slotsPerNode();
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (int s : slots) {
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
      assertThat(max - min).as("slot spread for %s nodes", n).isLessThanOrEqualTo(1);
      assertThat(max / ((double) m / n)).as("peak-to-mean of slots for %s nodes", n).isLessThanOrEqualTo(1.01);
    }
    // and on keys: the slot share plus sampling noise (about 0.5% per node at 40,000 keys per node)
    NodeLocator<Node> maglev = LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(1009).build()
        .locator(TestNodes.named("m", 10));
    assertThat(LocatorAnalysis.balance(maglev, KEYS).peakToMean()).isLessThan(1.025);
  }

  @Test
  void jumpAndRendezvousAreBalancedUpToSamplingNoise() {
    for (LocatorConfig config : List.of(LocatorConfig.jump(), LocatorConfig.rendezvous())) {
      LocatorAnalysis.Balance balance = LocatorAnalysis.balance(config.locator(TestNodes.named("n", 10)), KEYS);
      // 40,000 keys per node: sampling sd 0.5%, so the largest of ten within 2%
      assertThat(balance.peakToMean()).as("%s", config).isLessThan(1.02);
      assertThat(balance.relativeStdDev()).as("%s", config).isLessThan(0.01);
    }
  }

  @Test
  void weightedNodesGetSharesProportionalToTheirWeights() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      nodes.add(Node.of("w-" + i, 1 + i % 4));
    }
    for (LocatorConfig config : List.of(LocatorConfig.rendezvous(), LocatorConfig.maglev(),
        LocatorConfig.builder(Algorithm.RING).vnodesPerWeight(400).build())) {
      LocatorAnalysis.Balance balance = LocatorAnalysis.balance(config.locator(nodes), KEYS);
      // loads are compared with weight shares: rendezvous and Maglev are exact in expectation, the ring has
      // at least 400 points per node (sd 5%)
      double allowed = config.algorithm() == Algorithm.RING ? 0.15 : 0.03;
      assertThat(balance.peakToMean()).as("%s", config).isCloseTo(1.0, within(allowed));
      assertThat(balance.minToMean()).as("%s", config).isCloseTo(1.0, within(allowed));
    }
  }
}
