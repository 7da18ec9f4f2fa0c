package io.distkit.hashing;

import io.distkit.core.internal.Require;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** The checks every locator applies to the nodes it is built from, and to the collections it is given. */
final class NodeChecks {

  private NodeChecks() {}

  /**
   * Checks an id and a weight.
   *
   * @return the id
   * @throws IllegalArgumentException naming the bad id or weight
   */
  static String check(String nodeId, int weight) {
    Require.nonBlank(nodeId, "nodeId");
    if (nodeId.length() > Node.MAX_ID_LENGTH) {
      throw new IllegalArgumentException("nodeId ('" + nodeId.substring(0, 40) + "...', " + nodeId.length()
          + " chars) must be at most " + Node.MAX_ID_LENGTH + " chars");
    }
    if (weight < 1 || weight > Node.MAX_WEIGHT) {
      throw new IllegalArgumentException("weight (" + weight + ") of node '" + nodeId + "' must be between 1 and "
          + Node.MAX_WEIGHT);
    }
    return nodeId;
  }

  /**
   * An immutable copy of a collection, refusing a null collection or element with the parameter's name.
   *
   * @throws NullPointerException naming the collection, or its element, e.g. {@code "nodes[2]"}
   */
  static <T> List<T> nonNullCopy(Collection<? extends T> items, String name) {
    Objects.requireNonNull(items, name);
    int i = 0;
    for (T item : items) {
      if (item == null) {
        throw new NullPointerException(name + "[" + i + "]");
      }
      i++;
    }
    return List.copyOf(items);
  }
}
