package io.distkit.hashing.local;

import io.distkit.hashing.MembershipBuilder;
import io.distkit.hashing.MembershipContractTest;
import io.distkit.hashing.Node;

class LocalMembershipTest extends MembershipContractTest {

  private final LocalMembership.Group<Node> localGroup = LocalMembership.Group.create(clock);

  @Override
  protected MembershipBuilder<Node, ?> builder() {
    return LocalMembership.builder(localGroup);
  }
}
