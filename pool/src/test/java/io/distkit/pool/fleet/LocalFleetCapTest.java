package io.distkit.pool.fleet;

import io.distkit.locks.LockService;
import io.distkit.locks.local.LocalLockService;

/**
 * The fleet cap on the local lock service: every "JVM" gets the one service (pools in one JVM share it); closing it
 * again is a no-op.
 */
class LocalFleetCapTest extends FleetCapContractTest {

  private final LockService shared = LocalLockService.builder().build();

  @Override
  protected LockService newLockService() {
    return shared;
  }
}
