package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocatorAnalysisTest {

  @Test
  void samplesAreReproducibleAndDistinct() {
    List<String> keys = LocatorAnalysis.sampleKeys(10_000, 5);
    assertThat(keys).isEqualTo(LocatorAnalysis.sampleKeys(10_000, 5)).isNotEqualTo(LocatorAnalysis.sampleKeys(10_000, 6));
    assertThat(new HashSet<>(keys)).hasSize(10_000);
    assertThatThrownBy(() -> LocatorAnalysis.sampleKeys(0, 1)).hasMessage("count (0) must be positive");
  }

  @Test
  void balanceComparesLoadsWithWeightedShares() {
    List<Node> nodes = List.of(Node.of("a", 1), Node.of("b", 3));
    List<String> keys = List.of("1", "2", "3", "4", "5", "6", "7", "8");
    // a gets 4 of 8 keys where its share is 2: twice its share; b gets 4 where its share is 6
    LocatorAnalysis.Balance balance = LocatorAnalysis.balance(nodes, keys,
        key -> Integer.parseInt(key) <= 4 ? nodes.get(0) : nodes.get(1));
    assertThat(balance.peakToMean()).isCloseTo(2.0, within(1e-9));
    assertThat(balance.minToMean()).isCloseTo(4.0 / 6, within(1e-9));
    assertThat(balance.relativeStdDev()).isCloseTo(Math.sqrt((1.0 + 1.0 / 9) / 2), within(1e-9));
    assertThat(balance.loads()).containsEntry("a", 4L).containsEntry("b", 4L);
    assertThatThrownBy(() -> LocatorAnalysis.balance(nodes, keys, key -> Node.of("stranger")))
        .hasMessageContaining("was placed on node 'stranger', which is not among the 2 nodes given");
  }

  @Test
  void movementCountsKeysWhoseNodeIdChanged() {
    List<String> keys = List.of("1", "2", "3", "4");
    LocatorAnalysis.Movement movement = LocatorAnalysis.movement(keys, key -> Node.of("x"),
        key -> key.equals("3") ? Node.of("y") : Node.of("x", 5));
    assertThat(movement.moved()).isEqualTo(1);
    assertThat(movement.fraction()).isEqualTo(0.25);
    assertThat(new LocatorAnalysis.Movement(0, 0).fraction()).isZero();
  }
}
