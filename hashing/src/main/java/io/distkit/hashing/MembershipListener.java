package io.distkit.hashing;

/**
 * Hears about membership changes. The method defaults to a no-op; an exception it throws is logged at WARN and
 * changes nothing. Called on the membership's own thread, one call at a time, in version order; keep it short
 * (hand long work to another thread).
 *
 * @param <N> the node type
 */
public interface MembershipListener<N extends Node> {

  /**
   * A new version was read.
   *
   * @param previous the view before (version {@code -1} and no members for the first read)
   * @param current the new view
   */
  default void onChange(MembershipView<N> previous, MembershipView<N> current) {}
}
