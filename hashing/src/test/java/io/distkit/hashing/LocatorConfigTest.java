package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocatorConfigTest {

  @Test
  void defaultsAreDocumented() {
    assertThat(LocatorConfig.ring().vnodesPerWeight()).isEqualTo(160);
    assertThat(LocatorConfig.maglev().maglevTableSize()).isEqualTo(65_537);
    assertThat(LocatorConfig.ring()).isEqualTo(LocatorConfig.builder(Algorithm.RING).build())
        .hasSameHashCodeAs(LocatorConfig.builder(Algorithm.RING).build())
        .isNotEqualTo(LocatorConfig.builder(Algorithm.RING).vnodesPerWeight(10).build());
    assertThat(LocatorConfig.maglev()).hasToString("MAGLEV(maglevTableSize 65537)")
        .isEqualTo(LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(65_537).build());
    LocatorConfig fixed = LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(10_007).build();
    assertThat(fixed).hasToString("MAGLEV(maglevTableSize 10007)").isNotEqualTo(LocatorConfig.maglev());
    assertThat(fixed.maglevTableSize()).isEqualTo(10_007);
  }

  @Test
  void theDefaultMaglevTableDoesNotChangeWithTheNodeCountSoAGrowingGroupNeverRebuildsIt() {
    // a size derived from the node count moved 99.8% of the keys when the 656th node joined (issue 12, item 7)
    LocatorConfig maglev = LocatorConfig.maglev();
    NodeLocator<Node> before = maglev.locator(TestNodes.named("n", 655));
    NodeLocator<Node> after = before.withNode(Node.of("n-new"));
    assertThat(after.tableBytes()).isEqualTo(before.tableBytes()).isEqualTo(16 + 4L * 65_537);
    List<String> keys = LocatorAnalysis.sampleKeys(20_000, 5);
    assertThat(LocatorAnalysis.movement(before, after, keys).fraction()).as("one node in 656 joins")
        .isLessThan(0.02);
    assertThatThrownBy(() -> LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(7).build()
        .locator(TestNodes.named("n", 8)))
        .hasMessage("maglevTableSize (7) must be at least the number of nodes (8); "
            + "LocatorConfig.maglevTableSizeFor(8) = 65537 keeps peak-to-mean within 1%");
  }

  @Test
  void maglevTableSizeForGivesAHundredSlotsPerNodeOfTheLargestGroup() {
    assertThat(LocatorConfig.maglevTableSizeFor(0)).isEqualTo(65_537);
    assertThat(LocatorConfig.maglevTableSizeFor(655)).isEqualTo(65_537);
    assertThat(LocatorConfig.maglevTableSizeFor(656)).isEqualTo(131_101);
    assertThat(LocatorConfig.maglevTableSizeFor(1_000)).isEqualTo(131_101);
    assertThat(LocatorConfig.maglevTableSizeFor(1_311)).isEqualTo(131_101);
    assertThat(LocatorConfig.maglevTableSizeFor(1_312)).isEqualTo(262_147);
    assertThat(LocatorConfig.maglevTableSizeFor(100_000)).isEqualTo(16_777_259);
    assertThat(LocatorConfig.maglevTableSizeFor(400_001)).isEqualTo(LocatorConfig.MAX_MAGLEV_TABLE_SIZE);
    for (int nodes = 1; nodes <= 335_544; nodes = nodes * 3 / 2 + 1) {
      int m = LocatorConfig.maglevTableSizeFor(nodes);
      assertThat(Primes.isPrime(m)).as("table for %s nodes", nodes).isTrue();
      assertThat(m).as("table for %s nodes", nodes).isGreaterThanOrEqualTo(100 * nodes);
    }
    NodeLocator<Node> thousand = LocatorConfig.builder(Algorithm.MAGLEV)
        .maglevTableSize(LocatorConfig.maglevTableSizeFor(1_000)).build().locator(TestNodes.named("n", 1_000));
    assertThat(thousand.tableBytes()).isEqualTo(16 + 4L * 131_101);
    assertThatThrownBy(() -> LocatorConfig.maglevTableSizeFor(-1)).hasMessage("largestGroup (-1) must be at least 0");
  }

  @Test
  void badSettingsFailFastNamingTheValue() {
    assertThatThrownBy(() -> LocatorConfig.builder(Algorithm.RING).vnodesPerWeight(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("vnodesPerWeight (0) must be between 1 and 100000");
    assertThatThrownBy(() -> LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(65_536))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maglevTableSize (65536) must be prime, e.g. 65537");
    assertThatThrownBy(() -> LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(1))
        .hasMessage("maglevTableSize (1) must be between 3 and 40000003");
    assertThatThrownBy(() -> LocatorConfig.builder(Algorithm.JUMP).vnodesPerWeight(10))
        .hasMessage("vnodesPerWeight applies to RING, not JUMP");
    assertThatThrownBy(() -> LocatorConfig.builder(Algorithm.RING).maglevTableSize(7))
        .hasMessage("maglevTableSize applies to MAGLEV, not RING");
  }

  @Test
  void nodeSetsTheAlgorithmCannotHoldAreRefused() {
    assertThatThrownBy(() -> LocatorConfig.jump().locator(List.of(Node.of("a"), Node.of("b", 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("weight (2) of node 'b' must be 1: jump hash has no weights");
    assertThatThrownBy(() -> LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(3).build()
        .locator(TestNodes.named("n", 4)))
        .hasMessageStartingWith("maglevTableSize (3) must be at least the number of nodes (4)");
    assertThatThrownBy(() -> LocatorConfig.builder(Algorithm.RING).vnodesPerWeight(100_000).build()
        .locator(List.of(Node.of("a", 101))))
        .hasMessage("ring points (10100000 = total weight 101 × vnodesPerWeight 100000) must be at most 10000000");
    // issue 12, item 8: ketama had no limit (100,000 nodes took 6 s and 247 MiB); refused before any MD5
    long started = System.nanoTime();
    assertThatThrownBy(() -> LocatorConfig.ketama().locator(TestNodes.named("k", 100_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ketama points (16000000 for 100000 nodes, about 160 per node) must be at most 10000000: "
            + "at most about 62,500 nodes");
    assertThat(System.nanoTime() - started).as("refused before building").isLessThan(2_000_000_000L);
  }
}
