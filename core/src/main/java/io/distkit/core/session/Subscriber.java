package io.distkit.core.session;

/**
 * Receives the messages of one channel, and hears when it may have missed some.
 *
 * <p>Pub/sub delivers at most once and only while connected: a subscriber keeps its own state in step with
 * the source of truth by resynchronising (re-reading what it caches or watches) whenever
 * {@link #onMissedMessages(String)} says so. That is the contract every distkit subscription keeps:
 * <ul>
 *   <li>{@code onMissedMessages} is called once when the subscription first becomes live, and again after
 *       every interruption, once it is live again. From that call on, every message published is delivered
 *       until the next {@link #onInterrupted(String)}.
 *   <li>{@code onInterrupted} is called as soon as the connection is known to be lost: from then until the
 *       next {@code onMissedMessages}, messages are being missed (a near cache stops trusting its entries).
 * </ul>
 *
 * <p>Methods are called on the subscription's reader thread (or a scheduler thread), one at a time per
 * subscription, in order; they must be quick and must not block (hand heavy work to a
 * {@link Scheduler}). One that throws is logged at WARN and the subscription goes on.
 */
public interface Subscriber {

  /**
   * A message arrived.
   *
   * @param channel the channel it was published on
   * @param message its bytes; the subscriber may keep the array
   */
  void onMessage(String channel, byte[] message);

  /**
   * The subscription is live (for the first time, or again after an interruption): messages published before
   * this call may have been missed, so resynchronise now.
   *
   * @param channel the channel
   */
  default void onMissedMessages(String channel) {}

  /**
   * The subscription's connection was lost: messages are being missed until the next
   * {@link #onMissedMessages(String)}.
   *
   * @param channel the channel
   */
  default void onInterrupted(String channel) {}
}
