package io.distkit.hashing.internal;

import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.MembershipListener;
import io.distkit.core.session.Scheduler;
import io.distkit.hashing.Node;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code MembershipBuilder} gathered, checked. Not API.
 *
 * @param self the node to join as, or null to observe only
 * @param lease how long a member stays without renewing
 * @param renewInterval how often a member renews, shorter than the lease
 * @param pollInterval how often the group is re-read
 * @param locator the locators' algorithm and settings
 * @param listener hears about new versions
 * @param scheduler runs renewals, polls and re-reads
 * @param <N> the node type
 */
public record MembershipSettings<N extends Node>(@Nullable N self, Duration lease, Duration renewInterval,
    Duration pollInterval, LocatorConfig locator, MembershipListener<N> listener, Scheduler scheduler) {

  /**
   * The node to join as.
   *
   * @return the node, or empty for an observer
   */
  public Optional<N> member() {
    return Optional.ofNullable(self);
  }
}
