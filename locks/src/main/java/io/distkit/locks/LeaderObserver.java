package io.distkit.locks;

import java.util.Optional;

/**
 * Hears an election's leader change: see {@link LeaderElection#observe}. Calls come one at a time, on the service's
 * scheduler: keep them quick. A observer that throws is logged at WARN and keeps observing.
 */
@FunctionalInterface
public interface LeaderObserver {

  /**
   * The leader changed (a new term, or no leader), or this is the first reading.
   *
   * @param leader the leader now, or empty when nobody leads
   */
  void onLeader(Optional<Leader> leader);

  /**
   * A reading failed (the backend is unavailable); observing goes on, and the next reading that works is reported
   * if it differs from the last one reported.
   *
   * @param failure why
   */
  default void onReadFailed(RuntimeException failure) {}
}
