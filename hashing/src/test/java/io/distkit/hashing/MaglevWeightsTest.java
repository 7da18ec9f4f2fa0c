package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Maglev gives every node a share of the table proportional to its weight, for every weight in the documented
 * range (1 to {@value Node#MAX_WEIGHT}): a node's slot count differs from {@code M × w / W} by at most
 * {@code 1/2 + n × w / (2W)} slots (issue 12, item 1).
 */
class MaglevWeightsTest {

  private static final List<String> KEYS = LocatorAnalysis.sampleKeys(100_000, 12);

  private static MaglevLocator<Node> maglev(List<Node> nodes) {
    return (MaglevLocator<Node>) LocatorConfig.maglev().<Node>locator(nodes);
  }

  /** Every node's slot count within the documented tolerance of its exact share. */
  private static void assertSlotsProportional(List<Node> nodes) {
    MaglevLocator<Node> maglev = maglev(nodes);
    int[] slots = maglev.slotsPerNode();
    int m = LocatorConfig.maglev().maglevTableSize();
    long totalWeight = nodes.stream().mapToLong(Node::weight).sum();
    int total = 0;
    for (int i = 0; i < nodes.size(); i++) {
      double exact = (double) m * nodes.get(i).weight() / totalWeight;
      double tolerance = 0.5 + nodes.size() * (double) nodes.get(i).weight() / (2.0 * totalWeight);
      assertThat((double) slots[i]).as("slots of %s (exact share %.2f)", nodes.get(i), exact)
          .isBetween(exact - tolerance, exact + tolerance);
      total += slots[i];
    }
    assertThat(total).isEqualTo(m);
  }

  /** Key shares: the slot share plus the sample's noise (100,000 keys: well under 1% for shares near 50%). */
  private static void assertKeySharesProportional(List<Node> nodes, double absoluteTolerance) {
    LocatorAnalysis.Balance balance = LocatorAnalysis.balance(maglev(nodes), KEYS);
    long totalWeight = nodes.stream().mapToLong(Node::weight).sum();
    for (Node node : nodes) {
      double share = (double) balance.loads().get(node.nodeId()) / KEYS.size();
      assertThat(share).as("share of %s", node)
          .isBetween((double) node.weight() / totalWeight - absoluteTolerance,
              (double) node.weight() / totalWeight + absoluteTolerance);
    }
  }

  @Test
  void weightsAboveTheTableSizeSplitAsTheirRatio() {
    // was: every key on a (weights summed past the table, a's first turn filled it)
    List<Node> nodes = List.of(Node.of("a", 65_537), Node.of("b", 65_538));
    assertSlotsProportional(nodes);
    assertKeySharesProportional(nodes, 0.01);
  }

  @Test
  void nearlyEqualLargeWeightsSplitEvenly() {
    // was: 54 / 46
    List<Node> nodes = List.of(Node.of("a", 30_001), Node.of("b", 30_000));
    assertSlotsProportional(nodes);
    assertKeySharesProportional(nodes, 0.01);
  }

  @Test
  void tenLargeWeightsEachGetTheirShare() {
    // was: one node took everything
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      nodes.add(Node.of("n-" + i, 100_000 + 7 * i));
    }
    assertSlotsProportional(nodes);
    assertKeySharesProportional(nodes, 0.006);
  }

  @Test
  void theEndsOfTheWeightRangeHoldTogether() {
    // the largest weight beside the smallest: the light node's share (1 in 1,000,001) is below one slot
    List<Node> extremes = List.of(Node.of("light", 1), Node.of("heavy", Node.MAX_WEIGHT));
    assertSlotsProportional(extremes);
    assertThat(maglev(extremes).slotsPerNode()[0]).isZero();
    // one node of the largest weight among many of the smallest
    List<Node> crowd = new ArrayList<>(TestNodes.named("small", 40));
    crowd.add(Node.of("big", Node.MAX_WEIGHT));
    assertSlotsProportional(crowd);
    // many nodes of the largest weight, and of the smallest: equal shares
    assertSlotsProportional(TestNodes.named("one", 50));
    List<Node> maxed = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      maxed.add(Node.of("max-" + i, Node.MAX_WEIGHT));
    }
    assertSlotsProportional(maxed);
    // small weights as before: 1, 2, 3 and 4
    List<Node> small = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      small.add(Node.of("s-" + i, 1 + i % 4));
    }
    assertSlotsProportional(small);
  }

  @Test
  void weightsAreRelative() {
    // weights are relative: {3, 3, 3} lays the table out exactly as {1, 1, 1}
    List<Node> ones = TestNodes.named("e", 3);
    MaglevLocator<Node> threes = maglev(ones.stream().map(n -> Node.of(n.nodeId(), 3)).toList());
    MaglevLocator<Node> plain = maglev(ones);
    for (String key : KEYS.subList(0, 2_000)) {
      assertThat(threes.locate(key).nodeId()).isEqualTo(plain.locate(key).nodeId());
    }
  }
}
