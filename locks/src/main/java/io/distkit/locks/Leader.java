package io.distkit.locks;

import io.distkit.core.session.FencingToken;
import java.time.Duration;
import java.util.Objects;

/**
 * Who leads an election now, as {@link LeaderElection#leader()} read it.
 *
 * @param candidate the name the leader campaigned with
 * @param term the leader's term: the fencing token of its grant, which grows with every new term
 * @param remainingLease how long its lease lasts without renewal, as read
 */
public record Leader(String candidate, FencingToken term, Duration remainingLease) {

  /**
   * Checks the values.
   *
   * @param candidate non-null
   * @param term non-null
   * @param remainingLease non-null
   */
  public Leader {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(term, "term");
    Objects.requireNonNull(remainingLease, "remainingLease");
  }
}
