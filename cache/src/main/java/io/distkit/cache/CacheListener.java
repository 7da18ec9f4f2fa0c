package io.distkit.cache;

/**
 * Hears what a {@link Cache} does, for metrics and logs. Every method defaults to doing nothing; a listener that
 * throws is logged at WARN and never changes an outcome. Methods run on the thread that caused the event (the
 * loading caller; for a near cache's dropped copies, the thread that learnt why): keep them quick.
 */
public interface CacheListener {

  /** A listener that hears nothing. */
  CacheListener NONE = new CacheListener() {};

  /** Why a near cache dropped every copy it held. */
  enum DropReason {
    /** An invalidation message from another JVM was missing from its sequence. */
    MESSAGE_GAP,
    /** Reconciliation found a JVM's recorded sequence past the last message received from it. */
    RECONCILIATION,
    /** The subscription was interrupted and is back: messages may have been missed. */
    SUBSCRIPTION_RESUMED,
    /** The cache's epoch advanced: an {@code invalidateAll} somewhere. */
    INVALIDATE_ALL,
    /** A message on the cache's channel could not be read. */
    UNREADABLE_MESSAGE
  }

  /**
   * A loader returned.
   *
   * @param cache the cache's name
   * @param key the key loaded
   * @param nanos how long the loader took
   * @param found whether it found a value (false: it returned null, "not found")
   */
  default void onLoad(String cache, Object key, long nanos, boolean found) {}

  /**
   * A loader threw.
   *
   * @param cache the cache's name
   * @param key the key
   * @param nanos how long the loader ran
   * @param failure what it threw
   */
  default void onLoadFailed(String cache, Object key, long nanos, Exception failure) {}

  /**
   * A near cache dropped every copy it held.
   *
   * @param cache the cache's name
   * @param reason why
   */
  default void onCopiesDropped(String cache, DropReason reason) {}
}
