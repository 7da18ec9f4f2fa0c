package io.distkit.core.session;

/**
 * One subscriber's subscription to one channel. Closing it stops delivery to that subscriber; the connection
 * stays while other subscriptions use it.
 */
public interface Subscription extends AutoCloseable {

  /**
   * The channel.
   *
   * @return the channel name given at subscription
   */
  String channel();

  /**
   * Whether messages published now reach this subscriber.
   *
   * @return true between an {@link Subscriber#onMissedMessages} and the next interruption, while open
   */
  boolean isLive();

  /** Stops delivery to this subscriber. Idempotent. */
  @Override
  void close();
}
