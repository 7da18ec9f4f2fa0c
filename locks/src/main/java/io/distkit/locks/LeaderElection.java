package io.distkit.locks;

import java.time.Duration;
import java.util.Optional;

/**
 * A named election: candidates campaign, one leads at a time, and its term is the fencing token of its grant (it
 * grows with every term, so a resource that checks terms refuses a deposed leader's late writes; see
 * {@link FencedResource}). Leadership is a {@link LockHandle}: {@linkplain LockHandle#release() release} it to
 * resign, and {@link LockHandle#whenLost} hears when the lease was lost.
 *
 * <pre>{@code
 * LeaderElection election = locks.election("scheduler");
 * Optional<LockHandle> term = election.campaign("node-7", Duration.ofMinutes(1), LockLease.renewed(Duration.ofSeconds(10)));
 * term.ifPresent(t -> runScheduler(t.fencingToken()));
 * }</pre>
 *
 * <p>Candidates waiting in a campaign are served in arrival order when the leader resigns or its lease runs out.
 */
public interface LeaderElection {

  /**
   * The election's name.
   *
   * @return the name given to the service
   */
  String name();

  /**
   * Campaigns for leadership, waiting up to {@code wait} behind the leader and earlier candidates.
   *
   * @param candidate who campaigns, as {@link #leader()} will report it: non-blank, at most 256 characters
   * @param wait how long to wait; zero (or negative) to lead only if nobody does now
   * @param lease the term's lease: {@link LockLease#renewed} keeps leading until resigning
   * @return the term, or empty when another leads past the wait
   * @throws InterruptedException when the thread was interrupted while waiting (it then leads nothing)
   */
  Optional<LockHandle> campaign(String candidate, Duration wait, LockLease lease) throws InterruptedException;

  /**
   * Who leads now, read from the service (one round trip on Redis).
   *
   * @return the leader, or empty when nobody leads
   */
  Optional<Leader> leader();

  /**
   * The election's leader and waiting candidates as they are now, for diagnostics.
   *
   * @return what the service knows of it
   */
  LockInfo inspect();

  /**
   * Reads the leader every {@code every} on the service's scheduler, and tells {@code observer} the first reading
   * and each change of term after it (a change is heard within {@code every} and one reading).
   *
   * @param every how often to read: at least 1 ms
   * @param observer what to tell
   * @return the observation: close it to stop
   */
  Observation observe(Duration every, LeaderObserver observer);

  /** A running {@link #observe}: closing it stops the readings. */
  interface Observation extends AutoCloseable {
    /** Stops observing; idempotent. */
    @Override
    void close();
  }
}
