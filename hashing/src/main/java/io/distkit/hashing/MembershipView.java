package io.distkit.hashing;

import java.util.List;
import java.util.Objects;

/**
 * One version of a group's membership and the locator built from it. Two observers holding views of the same
 * version hold equal member lists and locators that map every key alike.
 *
 * @param version the group's version: it changes with every join, leave, re-weight or expiry; {@code -1}
 *     before the first successful read
 * @param members the members by position: the order in which they first joined, a member that came back in
 *     its old place (the bucket order for {@link Algorithm#JUMP})
 * @param locator built from {@code members} with the membership's {@link LocatorConfig}
 * @param <N> the node type
 */
public record MembershipView<N extends Node>(long version, List<N> members, NodeLocator<N> locator) {

  /**
   * Checks and copies.
   *
   * @param version the group's version
   * @param members the members by position
   * @param locator the locator over them
   */
  public MembershipView {
    members = NodeChecks.nonNullCopy(members, "members");
    Objects.requireNonNull(locator, "locator");
  }

  /**
   * Whether a node of this id is a member.
   *
   * @param nodeId a node id
   * @return true when some member has that id
   */
  public boolean contains(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    for (N member : members) {
      if (member.nodeId().equals(nodeId)) {
        return true;
      }
    }
    return false;
  }
}
