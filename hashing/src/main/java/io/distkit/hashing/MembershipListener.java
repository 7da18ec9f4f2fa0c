package io.distkit.hashing;

/**
 * Hears about membership changes, and tells a member when its own lease may have run out. A functional
 * interface ({@link #onChange}); the lease methods default to no-ops. An exception a method throws is logged at
 * WARN and changes nothing. Called one call at a time, in order, on the membership's
 * {@linkplain MembershipBuilder#scheduler scheduler} (or on the thread that calls {@code refresh()}), while the
 * membership holds its lock: keep it short (hand long work to another thread), since renewals wait for it.
 *
 * <pre>{@code
 * RedisMembership.builder(backend, "cache-tier", codec)
 *     .self(me)
 *     .listener((previous, current) -> rebalance(current.locator()))
 *     .build();
 * }</pre>
 *
 * @param <N> the node type
 */
@FunctionalInterface
public interface MembershipListener<N extends Node> {

  /**
   * A new version was read.
   *
   * @param previous the view before (version {@code -1} and no members for the first read)
   * @param current the new view
   */
  void onChange(MembershipView<N> previous, MembershipView<N> current);

  /**
   * This member may no longer be in the group: a lease's worth of time passed since its last confirmed renewal
   * was sent (by this JVM's clock: a pause, a long GC, an unreachable backend), or a read of the group no longer
   * listed it, or a renewal found that the group had dropped it. Other members may already own its keys, and its
   * view may still list it: stop acting as their owner until {@link #onLeaseRestored}. The membership rejoins at
   * once and keeps trying every renewal interval; it gets its old position back, so its keys come back to it.
   * Called once per loss, at the latest one renewal interval after the lease ran out by this JVM's clock (at the
   * next renewal attempt); never for an observer.
   *
   * @param self this member
   */
  default void onLeaseLost(N self) {}

  /**
   * This member holds a lease again after {@link #onLeaseLost}: a renewal reached the backend. A new view
   * ({@link #onChange}) follows when the group changed meanwhile.
   *
   * @param self this member
   */
  default void onLeaseRestored(N self) {}
}
