package io.distkit.core;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception distkit throws. Unchecked: callers catch it where they can do something about
 * it, typically at the edge of a request.
 *
 * <p>Expected outcomes (a request that is rate limited, a lock that is held by someone else, a pool that
 * stays exhausted for the whole wait) are return values, never exceptions.
 */
public class DistkitException extends RuntimeException {

  /**
   * Creates an exception with a message that says what failed and, where it helps, what to do.
   *
   * @param message what went wrong
   */
  public DistkitException(String message) {
    super(message);
  }

  /**
   * Creates an exception that wraps its cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public DistkitException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * For subclasses that are thrown often on an expected path, where a stack trace would cost more than it
   * tells.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   * @param writableStackTrace whether to record a stack trace
   */
  protected DistkitException(String message, @Nullable Throwable cause, boolean writableStackTrace) {
    super(message, cause, true, writableStackTrace);
  }
}
