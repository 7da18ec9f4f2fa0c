package io.distkit.core;

import org.jspecify.annotations.Nullable;

/**
 * The backend (Redis) is down, unreachable, or did not answer within the client's timeout.
 *
 * <p>Thrown by a Redis-backed primitive whose {@link FailurePolicy} is {@link FailurePolicy#FAIL_CLOSED}
 * (other policies turn the outage into a decision of their own). While a {@link BackendGuard} remembers an
 * outage, it throws this at once, without contacting Redis; {@link #isFailFast()} tells the two apart.
 */
public class BackendUnavailableException extends DistkitException {

  /** Whether a guard threw this without contacting the backend. */
  private final boolean failFast;

  /**
   * An outage observed by talking to the backend.
   *
   * @param message what was attempted and what failed
   * @param cause the client's exception
   */
  public BackendUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
    this.failFast = false;
  }

  private BackendUnavailableException(String message, @Nullable Throwable cause, boolean failFast) {
    super(message, cause, false);
    this.failFast = failFast;
  }

  /**
   * An outage remembered by a {@link BackendGuard}: the backend was not contacted. It has no stack trace,
   * because during an outage it is thrown on every call and must stay cheap; its cause is the failure that
   * started or last extended the outage.
   *
   * @param message which backend and since when
   * @param cause the failure that the guard remembers
   * @return an exception for which {@link #isFailFast()} is true
   */
  public static BackendUnavailableException failFast(String message, @Nullable Throwable cause) {
    return new BackendUnavailableException(message, cause, true);
  }

  /**
   * Whether this exception came from a {@link BackendGuard} without contacting the backend.
   *
   * @return true when the call failed fast during a remembered outage
   */
  public boolean isFailFast() {
    return failFast;
  }
}
