package io.distkit.core;

import java.time.Duration;

/**
 * Hears what happens between a primitive and its backend: the one listener convention for backend events
 * across distkit, so that a metrics or logging binding is one adapter, not one per module.
 *
 * <p>Every method defaults to a no-op. Each event names its source: a guard's or health tracker's name for
 * outages and recoveries, the primitive (e.g. {@code "ratelimit:api"}) for errors and fallbacks, the
 * subscription hub for missed messages. No event carries a user key: sources are few and fit metric tags.
 *
 * <p>Called on the thread that saw the event (a caller's thread, or a scheduler thread for background work);
 * keep it quick and non-blocking. A listener that throws is logged at WARN and never changes the outcome of
 * the operation that notified it. Implementations must be thread-safe.
 */
public interface BackendListener {

  /**
   * A call to the backend failed because it is down, unreachable or too slow (including calls refused at
   * once during a remembered outage).
   *
   * @param source the primitive that made the call
   * @param error what failed
   */
  default void onError(String source, BackendUnavailableException error) {}

  /**
   * A failure policy other than {@link FailurePolicy#FAIL_CLOSED} answered instead of the backend.
   *
   * @param source the primitive
   * @param policy {@link FailurePolicy#FAIL_OPEN} or {@link FailurePolicy#FALLBACK_TO_LOCAL}
   */
  default void onFallback(String source, FailurePolicy policy) {}

  /**
   * A backend (or one endpoint of several) went from up to down: calls to it now fail fast or skip it.
   *
   * @param backend the guard's or tracker's name
   * @param cause the failure that started the outage
   */
  default void onOutage(String backend, Throwable cause) {}

  /**
   * A backend that was down answered again.
   *
   * @param backend the guard's or tracker's name
   * @param outage how long it was down, by the observer's clock
   */
  default void onRecovery(String backend, Duration outage) {}

  /**
   * A subscription may have missed messages (its connection was lost, or it has just become live): the
   * subscriber resynchronises from the backend.
   *
   * @param source the subscription hub
   * @param channel the channel whose messages may be missing
   */
  default void onMissedMessages(String source, String channel) {}

  /**
   * A listener that does nothing.
   *
   * @return the shared no-op listener
   */
  static BackendListener noop() {
    return NoopBackendListener.INSTANCE;
  }
}
