package io.distkit.hashing;

import io.distkit.core.BackendUnavailableException;
import java.util.Optional;

/**
 * Which nodes belong to a named group right now, and the {@link NodeLocator} built from them.
 *
 * <p>A member joins with a lease and renews it while it lives; {@link #close()} leaves the group, and a member
 * that crashes disappears once its lease expires (within {@code lease + pollInterval} for every observer).
 * Every change bumps the group's version, and every observer builds its locator from the members of a version
 * with the same {@link LocatorConfig}, so all observers of one version map every key to the same node.
 *
 * <pre>{@code
 * Membership<Server> group = RedisMembership.builder(backend, "cache-tier", serverCodec)
 *     .self(me)                                   // omit to watch without joining
 *     .locator(LocatorConfig.rendezvous())
 *     .build();
 * Server owner = group.locator().locate(key);      // lock-free: the current snapshot
 * }</pre>
 *
 * <p>Implementations: {@code io.distkit.hashing.redis.RedisMembership} (a group shared through Redis,
 * standalone or Cluster) and {@code io.distkit.hashing.local.LocalMembership} (a group inside this JVM, for
 * tests and single-process use). Thread-safe.
 *
 * <p><b>Positions.</b> Members are listed by position: the order in which they first joined. A member that
 * comes back (its lease ran out and it rejoins, the backend lost the group and every member joins again, or its
 * process restarts within {@code 3 × max(lease, pollInterval)} of leaving) gets its old position back, so the
 * member list, and every locator built from it (even {@link Algorithm#JUMP}'s, which depends on the order), is
 * what it was before.
 *
 * <p><b>When the backend is down</b>, a membership keeps serving the last view it read (stale, never empty
 * because of the outage) and keeps retrying in the background; its own lease may expire meanwhile: once a
 * lease's worth of time (less core's margin) passed since its last confirmed renewal, the listener hears
 * {@link MembershipListener#onLeaseLost} and {@link #holdsLease()} turns false, and its next successful renewal
 * joins the group again at its old position ({@link MembershipListener#onLeaseRestored}). Only
 * {@link #refresh()} reports the outage, by throwing {@link BackendUnavailableException}.
 *
 * <p><b>Threads.</b> A membership starts none: its renewals, polls and re-reads run one at a time on the
 * {@linkplain MembershipBuilder#scheduler scheduler} its builder was given ({@code Scheduler.shared()} unless
 * set), and {@link #refresh()} and {@link #close()} on the caller's thread.
 *
 * @param <N> the node type
 */
public interface Membership<N extends Node> extends AutoCloseable {

  /**
   * The current view: version, members, locator. Changes as the group changes; each view is immutable.
   *
   * @return the view most recently read
   */
  MembershipView<N> view();

  /**
   * The current locator, a shortcut for {@code view().locator()}.
   *
   * @return the locator over the current members (empty before anyone joined)
   */
  default NodeLocator<N> locator() {
    return view().locator();
  }

  /**
   * This process's own node, when it joined as a member.
   *
   * @return the node given to the builder's {@code self}, or empty for an observer
   */
  Optional<N> self();

  /**
   * Whether this member's lease is known to run: its last renewal was confirmed, core's conservative local
   * deadline for it ({@link io.distkit.core.session.Lease#localDeadline}: a lease less 1%, at least 2 ms, after
   * the renewal was sent, by the membership's clock) has not passed, and no read since has missed it. A member that finds it false should not act as
   * the owner of its keys: other members may own them (see {@link MembershipListener#onLeaseLost}). Cheap: no
   * backend call.
   *
   * @return true while the lease runs; false for an observer, after {@link #close()}, and from a lost lease until
   *     a renewal succeeds
   */
  boolean holdsLease();

  /**
   * Reads the group now, on the calling thread, without waiting for a notification or the next poll; also
   * expires members whose lease has run out. Waits for a background step that is under way.
   *
   * @return the view after the read
   * @throws BackendUnavailableException when the backend is unavailable (the view is left as it was)
   * @throws IllegalStateException after {@link #close()}
   */
  MembershipView<N> refresh();

  /**
   * Counters since the membership started.
   *
   * @return a snapshot
   */
  MembershipStats stats();

  /**
   * Leaves the group (when a member) and stops renewing, polling and listening. Idempotent. A failure to
   * reach the backend while leaving is logged: the lease then expires on its own.
   */
  @Override
  void close();
}
