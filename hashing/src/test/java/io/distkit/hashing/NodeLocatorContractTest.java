package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every {@link NodeLocator} promises, whatever its algorithm. */
class NodeLocatorContractTest {

  private static final List<String> KEYS = LocatorAnalysis.sampleKeys(5_000, 1);

  private static NodeLocator<Node> locator(Algorithm algorithm, List<Node> nodes) {
    return TestNodes.config(algorithm).locator(nodes);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void theSameKeyAlwaysGoesToTheSameNodeAndRebuildingChangesNothing(Algorithm algorithm) {
    List<Node> nodes = TestNodes.named("n", 7);
    NodeLocator<Node> a = locator(algorithm, nodes);
    NodeLocator<Node> b = a.config().locator(new ArrayList<>(nodes));
    for (String key : KEYS) {
      assertThat(a.locate(key)).isSameAs(a.locate(key)).isEqualTo(b.locate(key));
    }
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = {"RING", "RENDEZVOUS", "MAGLEV"})
  void dependsOnlyOnTheSetOfNodesNotTheirOrder(Algorithm algorithm) {
    List<Node> nodes = new ArrayList<>(TestNodes.named("n", 9));
    nodes.set(2, Node.of("n-2", 3));
    NodeLocator<Node> ordered = locator(algorithm, nodes);
    Collections.shuffle(nodes, new Random(7));
    NodeLocator<Node> shuffled = locator(algorithm, nodes);
    for (String key : KEYS) {
      assertThat(shuffled.locate(key).nodeId()).isEqualTo(ordered.locate(key).nodeId());
      assertThat(shuffled.locate(key, 3)).extracting(Node::nodeId)
          .containsExactlyElementsOf(ordered.locate(key, 3).stream().map(Node::nodeId).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void stringBytesAndLongKeysHashAlike(Algorithm algorithm) {
    NodeLocator<Node> locator = locator(algorithm, TestNodes.named("n", 5));
    List<String> strings = new ArrayList<>(KEYS.subList(0, 200));
    strings.addAll(List.of("", "é", "日本語のキー", "emoji 🙂 key", "unpaired \uD800 high", "unpaired \uDC00 low",
        "x".repeat(5000), "ü".repeat(3000)));
    for (String key : strings) {
      byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
      assertThat(locator.hash(key)).as("hash of '%s'", key).isEqualTo(locator.hash(utf8));
      assertThat(locator.locate(key)).isEqualTo(locator.locate(utf8));
    }
    for (long key : new long[] {0, 1, -1, 42, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L}) {
      byte[] littleEndian = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(key).array();
      assertThat(locator.hash(key)).as("hash of %s", key).isEqualTo(locator.hash(littleEndian));
      assertThat(locator.locate(key)).isEqualTo(locator.locate(littleEndian));
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void replicasAreDistinctAndStartWithThePrimary(Algorithm algorithm) {
    List<Node> nodes = TestNodes.named("n", 6);
    NodeLocator<Node> locator = locator(algorithm, nodes);
    int[] into = new int[4];
    for (String key : KEYS.subList(0, 1000)) {
      List<Node> three = locator.locate(key, 3);
      assertThat(three).hasSize(3).doesNotHaveDuplicates();
      assertThat(three.get(0)).isEqualTo(locator.locate(key));
      assertThat(locator.locate(key, 100)).hasSize(6).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(nodes).startsWith(three.toArray(Node[]::new));
      assertThat(locator.nodeIndices(locator.hash(key), into)).isEqualTo(4);
      assertThat(new HashSet<>(List.of(into[0], into[1], into[2], into[3]))).hasSize(4);
      assertThat(nodes.get(into[0])).isEqualTo(three.get(0));
    }
    assertThatThrownBy(() -> locator.locate("k", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count (0) must be positive");
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void anEmptyLocatorRefusesLookupsAndGrowsIntoAUsefulOne(Algorithm algorithm) {
    NodeLocator<Node> empty = locator(algorithm, List.of());
    assertThat(empty.size()).isZero();
    assertThatThrownBy(() -> empty.locate("k")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no nodes");
    assertThatThrownBy(() -> empty.locate("k", 2)).isInstanceOf(IllegalStateException.class);
    NodeLocator<Node> one = empty.withNode(Node.of("only"));
    assertThat(one.locate("k").nodeId()).isEqualTo("only");
    assertThat(one.locate("k", 3)).extracting(Node::nodeId).containsExactly("only");
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void snapshotsAreImmutableAndWithMethodsKeepTheSettings(Algorithm algorithm) {
    NodeLocator<Node> three = locator(algorithm, TestNodes.named("n", 3));
    NodeLocator<Node> four = three.withNode(Node.of("n-3"));
    assertThat(three.nodes()).extracting(Node::nodeId).containsExactly("n-0", "n-1", "n-2");
    assertThat(four.nodes()).extracting(Node::nodeId).containsExactly("n-0", "n-1", "n-2", "n-3");
    assertThat(four.config()).isEqualTo(three.config());
    assertThat(four.withoutNode("n-3").nodes()).extracting(Node::nodeId).containsExactly("n-0", "n-1", "n-2");
    assertThat(three.withoutNode("absent")).isSameAs(three);
    assertThat(three.withNodes(List.of(Node.of("x"))).nodes()).extracting(Node::nodeId).containsExactly("x");
    assertThatThrownBy(() -> three.nodes().add(Node.of("y"))).isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void refusesDuplicateAndInvalidNodesNamingThem(Algorithm algorithm) {
    LocatorConfig config = TestNodes.config(algorithm);
    assertThatThrownBy(() -> config.locator(List.of(Node.of("a"), Node.of("b"), Node.of("a"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeId 'a' appears twice");
    assertThatThrownBy(() -> config.locator(List.of(new Node() {
      @Override
      public String nodeId() {
        return "heavy";
      }

      @Override
      public int weight() {
        return 0;
      }
    }))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight (0) of node 'heavy' must be between 1 and 1000000");
    assertThatThrownBy(() -> Node.of(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodeId (' ') must not be blank");
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = {"RING", "KETAMA", "RENDEZVOUS", "MAGLEV"})
  void reweightingANodeReplacesItInPlace(Algorithm algorithm) {
    NodeLocator<Node> locator = locator(algorithm, TestNodes.named("n", 4));
    NodeLocator<Node> heavier = locator.withNode(Node.of("n-1", 3));
    assertThat(heavier.nodes()).extracting(Node::nodeId).containsExactly("n-0", "n-1", "n-2", "n-3");
    assertThat(heavier.nodes().get(1).weight()).isEqualTo(3);
    LocatorAnalysis.Balance after = LocatorAnalysis.balance(heavier, KEYS);
    // weight 3 of 6: half the keys instead of a quarter (a ring share varies by about 8% at 160 points)
    assertThat(after.loads().get("n-1") / (double) KEYS.size()).isCloseTo(0.5, within(0.07));
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void reportsTheMemoryOfItsTables(Algorithm algorithm) {
    NodeLocator<Node> locator = locator(algorithm, TestNodes.named("n", 10));
    long expected = switch (algorithm) {
      // points and owners, then the bucket table: 2,048 buckets for 1,600 points, plus an end marker
      case RING, KETAMA -> 2 * 16 + 12L * 10 * 160 + 16 + 4L * 2_049;
      case JUMP -> 0;
      case RENDEZVOUS -> 3 * 16 + 16L * 10;
      case MAGLEV -> 16 + 4L * 10_007;
    };
    assertThat(locator.tableBytes()).isEqualTo(expected);
  }
}
