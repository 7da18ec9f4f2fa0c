package io.distkit.hashing;

import io.distkit.core.codec.Codec;
import io.distkit.core.codec.CodecException;
import java.util.ArrayList;
import java.util.List;

/** Node lists and a node codec for tests. */
public final class TestNodes {

  /** {@code Node.of(id, weight)} as the UTF-8 text {@code "<weight> <id>"}. */
  public static final Codec<Node> CODEC = new Codec<>() {
    @Override
    public byte[] encode(Node node) {
      return Codec.utf8().encode(node.weight() + " " + node.nodeId());
    }

    @Override
    public Node decode(byte[] bytes) {
      String text = Codec.utf8().decode(bytes);
      int space = text.indexOf(' ');
      if (space < 0) {
        throw new CodecException("not a test node: " + text, null);
      }
      return Node.of(text.substring(space + 1), Integer.parseInt(text.substring(0, space)));
    }
  };

  private TestNodes() {}

  /** {@code count} nodes of weight 1, named {@code prefix-0} to {@code prefix-(count-1)}. */
  public static List<Node> named(String prefix, int count) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(Node.of(prefix + "-" + i));
    }
    return nodes;
  }

  /** A listener that adds "lost <id>" and "restored <id>" to {@code events} as a member's lease goes and comes. */
  public static MembershipListener<Node> leaseEvents(List<String> events) {
    return new MembershipListener<>() {
      @Override
      public void onChange(MembershipView<Node> previous, MembershipView<Node> current) {}

      @Override
      public void onLeaseLost(Node self) {
        events.add("lost " + self.nodeId());
      }

      @Override
      public void onLeaseRestored(Node self) {
        events.add("restored " + self.nodeId());
      }
    };
  }

  /** The config to test an algorithm with: defaults, except a small table for Maglev to keep tests fast. */
  static LocatorConfig config(Algorithm algorithm) {
    return algorithm == Algorithm.MAGLEV
        ? LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(10_007).build()
        : LocatorConfig.builder(algorithm).build();
  }
}
