package io.distkit.examples.snippets;

import io.distkit.locks.FencedResource;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockOutcome;
import io.distkit.locks.LockService;
import io.distkit.locks.local.LocalLockService;
import java.time.Duration;
import java.util.Optional;

class LockQuickStart {
  public static void main(String[] args) throws InterruptedException {
    LockService locks = LocalLockService.builder().build();
    FencedResource invoices = new FencedResource(); // where the data is: refuses writes from stale holders

    Optional<LockHandle> granted =
        locks.tryAcquire("invoice:42", Duration.ofSeconds(2), LockLease.fixed(Duration.ofSeconds(30)));
    if (granted.isPresent()) {
      try (LockHandle lock = granted.get()) {           // released at the end of the block, from any thread
        boolean written = invoices.write(lock.fencingToken(), () -> System.out.println("invoice 42 paid"));
        System.out.println("written: " + written + ", with " + lock.fencingToken()); // grows with every grant
      }
    }

    // or let the service release it, and hear whether the lease held throughout
    LockOutcome outcome = locks.withLock("invoice:42", Duration.ofSeconds(2), LockLease.fixed(Duration.ofSeconds(30)),
        lock -> System.out.println("holding " + lock.name()));
    System.out.println(outcome);
    locks.close();
  }
}
