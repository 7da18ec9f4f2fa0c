package io.distkit.locks.local;

import io.distkit.locks.LockKindsContractTest;
import io.distkit.locks.LockServiceBuilder;

/** The semaphore, read-write lock and election contract on {@link LocalLockService}. */
class LocalLockKindsTest extends LockKindsContractTest {

  @Override
  protected LockServiceBuilder<?> newBuilder() {
    return LocalLockService.builder();
  }
}
