package io.distkit.examples.snippets;

import io.distkit.locks.FencedReadWriteLock;
import io.distkit.locks.FencedSemaphore;
import io.distkit.locks.LeaderElection;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.locks.local.LocalLockService;
import java.time.Duration;
import java.util.Optional;

class LockKindsQuickStart {
  public static void main(String[] args) throws InterruptedException {
    LockService locks = LocalLockService.builder().build(); // or RedisLockService: the same calls, fleet-wide
    LockLease lease = LockLease.fixed(Duration.ofSeconds(30));

    // a semaphore: at most two exports at once; each permit is a lease with a token
    FencedSemaphore exports = locks.semaphore("exports", 2);
    Optional<LockHandle> first = exports.tryAcquire(Duration.ZERO, lease);
    Optional<LockHandle> second = exports.tryAcquire(Duration.ZERO, lease);
    Optional<LockHandle> third = exports.tryAcquire(Duration.ZERO, lease);
    System.out.println("permits: " + first.isPresent() + " " + second.isPresent() + " " + third.isPresent());
    first.ifPresent(LockHandle::release);
    second.ifPresent(LockHandle::release);

    // a read-write lock: readers share, a writer holds alone, and readers cannot starve a writer
    FencedReadWriteLock catalog = locks.readWriteLock("catalog");
    try (LockHandle read = catalog.read().tryAcquire(Duration.ZERO, lease).orElseThrow()) {
      System.out.println("a writer while reading: " + catalog.write().tryAcquire().isPresent()
          + ", reader valid: " + read.isValid());
    }

    // leader election: the term is the leader's fencing token
    LeaderElection election = locks.election("scheduler");
    Optional<LockHandle> term = election.campaign("node-1", Duration.ZERO, LockLease.renewed(Duration.ofSeconds(10)));
    System.out.println("leader: " + election.leader().map(leader -> leader.candidate()).orElse("nobody"));
    term.ifPresent(LockHandle::release); // resigns
    System.out.println("after resigning: " + election.leader().map(leader -> leader.candidate()).orElse("nobody"));
    locks.close();
  }
}
