package io.distkit.cache;

import io.distkit.core.DistkitException;

/** A {@link CacheLoader} threw: its exception is the cause. Nothing was cached; the next call loads again. */
public final class CacheLoadException extends DistkitException {

  private static final long serialVersionUID = 1L;

  /**
   * Wraps a loader's failure.
   *
   * @param message which cache and key
   * @param cause what the loader threw
   */
  public CacheLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
