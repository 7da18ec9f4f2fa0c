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
    assertThat(LocatorConfig.maglev()).hasToString("MAGLEV(maglevTableSize 65537)");
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
  }
}
