package io.distkit.pool.fleet;

import io.distkit.core.DistkitException;

/**
 * Every permit of a fleet cap is held (by this JVM or others): no object can be created now. A pool treats it as a
 * failed creation and tries again after its backoff; a caller that times out meanwhile is told this.
 */
public final class FleetCapReachedException extends DistkitException {

  private static final long serialVersionUID = 1L;

  /**
   * For the cap.
   *
   * @param message says which cap and how many permits it has
   */
  public FleetCapReachedException(String message) {
    super(message);
  }
}
