package io.distkit.locks.local;

import io.distkit.locks.LockServiceBuilder;
import io.distkit.locks.LockServiceContractTest;

/** The lock contract on {@link LocalLockService}. */
class LocalLockServiceTest extends LockServiceContractTest {

  @Override
  protected LockServiceBuilder<?> newBuilder() {
    return LocalLockService.builder();
  }
}
