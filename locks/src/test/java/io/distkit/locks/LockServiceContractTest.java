package io.distkit.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link LockService} promises of its locks: run by {@code LocalLockServiceTest} and the Redis services'
 * tests. Time is a {@link ManualClock} with a {@link ManualScheduler} on it: leases, waits and expiries move only
 * when a test advances it. Callers that wait run on threads of their own.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class LockServiceContractTest extends LockServiceHarness {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final LockLease TEN_SECONDS = LockLease.fixed(Duration.ofSeconds(10));

  /** Starts a caller that waits for the lock, and returns once it stands in line. */
  private Future<Optional<LockHandle>> waitInLine(LockService locks, Duration wait, LockLease lease) {
    return waitInLine(() -> locks.inspect(name).waiters(), () -> locks.tryAcquire(name, wait, lease));
  }

  @Test
  void aFreeLockIsGrantedWithATokenAndRefusedWhileHeld() throws Exception {
    LockService locks = open();
    LockHandle first = held(locks.tryAcquire(name));
    assertThat(first.name()).isEqualTo(name);
    assertThat(first.isValid()).isTrue();
    assertThat(first.state()).isEqualTo(Lease.State.HELD);
    assertThat(first.token()).contains(first.fencingToken());
    assertThat(locks.tryAcquire(name)).as("held by another handle").isEmpty();
    assertThat(locks.tryAcquire(name + "-other")).as("another name is another lock").isPresent();

    LockInfo info = locks.inspect(name);
    assertThat(info.held()).isTrue();
    assertThat(info.holder()).contains(first.fencingToken());
    assertThat(info.remainingLease()).isEqualTo(Duration.ofSeconds(30)); // the default lease
    assertThat(info.waiters()).isZero();
  }

  @Test
  void aReleasedLockIsFreeAndTheNextGrantHasANewerTokenEvenWhenTheClockStands() throws Exception {
    LockService locks = open();
    List<FencingToken> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      LockHandle lock = held(locks.tryAcquire(name));
      tokens.add(lock.fencingToken());
      assertThat(lock.release()).as("held until now").isTrue();
      assertThat(lock.release()).as("released once").isFalse();
      assertThat(lock.isValid()).isFalse();
      assertThat(lock.state()).isEqualTo(Lease.State.RELEASED);
      assertThat(locks.inspect(name).held()).isFalse();
    }
    assertThat(tokens).isSorted().doesNotHaveDuplicates();
    assertThat(tokens.get(0).value()).as("tokens start at the clock's time in µs")
        .isGreaterThanOrEqualTo(clock.epochMillis() * 1000);
    assertThat(locks.stats()).isEqualTo(new LockStats(5, 0, 0, 5, 0, 0, 0, 0));
  }

  @Test
  void aFixedLeaseRunsOutOnTheClockAndItsHolderHearsIt() throws Exception {
    LockService locks = open();
    LockHandle lock = held(locks.tryAcquire(name, Duration.ZERO, TEN_SECONDS));
    List<Lease.LostReason> heard = new CopyOnWriteArrayList<>();
    lock.whenLost((lease, reason) -> heard.add(reason));

    // the holder counts on it until core's conservative deadline (1% early), the lock is held until the lease ends
    scheduler.advance(Duration.ofMillis(9_899));
    assertThat(lock.isValid()).isTrue();
    assertThat(lock.remainingNanos()).isEqualTo(Duration.ofMillis(1).toNanos());
    scheduler.advance(Duration.ofMillis(1));
    assertThat(lock.isValid()).as("at the local deadline").isFalse();
    scheduler.advance(Duration.ofMillis(50));
    assertThat(locks.tryAcquire(name)).as("still held until the lease ends").isEmpty();
    scheduler.advance(Duration.ofMillis(50));
    assertThat(lock.state()).isEqualTo(Lease.State.LOST);
    assertThat(heard).containsExactly(Lease.LostReason.EXPIRED);
    assertThat(lock.release()).as("a lost lock is not released").isFalse();
    assertThat(locks.inspect(name).held()).isFalse();

    LockHandle next = held(locks.tryAcquire(name));
    assertThat(next.fencingToken().isNewerThan(lock.fencingToken())).isTrue();
    List<Lease.LostReason> late = new CopyOnWriteArrayList<>();
    lock.whenLost((lease, reason) -> late.add(reason));
    scheduler.runDue();
    assertThat(late).as("a listener added after the loss hears at once").containsExactly(Lease.LostReason.EXPIRED);
    assertThat(locks.stats().lost()).isEqualTo(1);
  }

  @Test
  void anExtendedLeaseEndsTtlAfterTheExtension() throws Exception {
    LockService locks = open();
    LockHandle lock = held(locks.tryAcquire(name, Duration.ZERO, TEN_SECONDS));
    scheduler.advance(Duration.ofSeconds(8));
    assertThat(lock.extend(Duration.ofSeconds(10))).isTrue();
    scheduler.advance(Duration.ofSeconds(9));
    assertThat(lock.isValid()).as("17 s after the grant, 9 s after the extension").isTrue();
    assertThat(locks.tryAcquire(name)).isEmpty();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(lock.isValid()).isFalse();
    assertThat(lock.extend(Duration.ofSeconds(10))).as("too late").isFalse();
    assertThat(locks.tryAcquire(name)).isPresent();
  }

  @Test
  void aRenewedLeaseLastsUntilReleased() throws Exception {
    LockService locks = open();
    LockHandle lock = held(locks.tryAcquire(name, Duration.ZERO, LockLease.renewed(Duration.ofSeconds(1))));
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(lock.isValid()).isTrue();
    assertThat(locks.inspect(name).renewed()).isTrue();
    assertThat(locks.tryAcquire(name)).isEmpty();
    assertThat(lock.extend(Duration.ofSeconds(5))).as("held: nothing to extend, but still held").isTrue();
    assertThat(lock.release()).isTrue();
    assertThat(lock.extend(Duration.ofSeconds(5))).as("released").isFalse();
    assertThat(locks.tryAcquire(name)).isPresent();
  }

  @Test
  void waitersGetTheLockFirstComeFirstServedStraightFromTheRelease() throws Exception {
    LockService locks = open();
    LockHandle holder = held(locks.tryAcquire(name));
    List<Future<Optional<LockHandle>>> line = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      line.add(waitInLine(locks, MINUTE, TEN_SECONDS));
    }
    FencingToken last = holder.fencingToken();
    LockHandle current = holder;
    for (Future<Optional<LockHandle>> waiter : line) {
      assertThat(waiter).as("still in line").isNotDone();
      current.release();
      assertThat(locks.tryAcquire(name)).as("no barging in front of the line").isEmpty();
      LockHandle next = held(done(waiter));
      assertThat(next.fencingToken().isNewerThan(last)).isTrue();
      last = next.fencingToken();
      current = next;
    }
    current.release();
    assertThat(locks.stats()).isEqualTo(new LockStats(4, 3, 3, 4, 0, 0, 0, 0));
  }

  @Test
  void aWaitRunsOutOnTheSchedulerAndTheCallerGetsNothing() throws Exception {
    LockService locks = open();
    LockHandle holder = held(locks.tryAcquire(name));
    Future<Optional<LockHandle>> waiter = waitInLine(locks, Duration.ofSeconds(5), TEN_SECONDS);
    scheduler.advance(Duration.ofMillis(4_999));
    assertThat(waiter).isNotDone();
    scheduler.advance(Duration.ofMillis(1));
    assertThat(done(waiter)).isEmpty();
    assertThat(locks.inspect(name).waiters()).isZero();
    assertThat(holder.release()).isTrue();
    assertThat(locks.inspect(name).held()).as("nobody left to hand it to").isFalse();
    assertThat(locks.stats().notAcquired()).isEqualTo(1);
  }

  @Test
  void anExpiredLeaseHandsTheLockToTheNextWaiter() throws Exception {
    LockService locks = open();
    LockHandle holder = held(locks.tryAcquire(name, Duration.ZERO, TEN_SECONDS));
    CompletableFuture<Lease.LostReason> lost = new CompletableFuture<>();
    holder.whenLost((lease, reason) -> lost.complete(reason));
    Future<Optional<LockHandle>> waiter = waitInLine(locks, MINUTE, TEN_SECONDS);
    scheduler.advance(Duration.ofSeconds(10));
    LockHandle next = held(done(waiter));
    assertThat(lost).isCompletedWithValue(Lease.LostReason.EXPIRED);
    assertThat(next.isValid()).isTrue();
    assertThat(next.remainingNanos()).as("its lease starts at the hand-off")
        .isEqualTo(Lease.localDeadline(0, Duration.ofSeconds(10).toNanos()));
    assertThat(holder.isValid()).isFalse();
  }

  @Test
  void anInterruptedWaiterLeavesTheLineHoldingNothing() throws Exception {
    LockService locks = open();
    LockHandle holder = held(locks.tryAcquire(name));
    Future<Optional<LockHandle>> waiter = waitInLine(locks, MINUTE, TEN_SECONDS);
    waiter.cancel(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> locks.inspect(name).waiters() == 0);
    assertThat(holder.release()).isTrue();
    assertThat(locks.inspect(name).held()).as("the interrupted waiter got nothing").isFalse();
  }

  @Test
  void withLockRunsTheBodyAndSaysWhetherTheLeaseHeldThroughout() throws Exception {
    LockService locks = open();
    List<FencingToken> ran = new ArrayList<>();
    assertThat(locks.withLock(name, Duration.ZERO, TEN_SECONDS, lock -> ran.add(lock.fencingToken())))
        .isEqualTo(LockOutcome.COMPLETED);
    assertThat(ran).hasSize(1);
    assertThat(locks.inspect(name).held()).as("released after the body").isFalse();

    assertThat(locks.withLock(name, Duration.ZERO, TEN_SECONDS, lock -> clock.advance(Duration.ofSeconds(11))))
        .isEqualTo(LockOutcome.LEASE_LOST);

    LockHandle other = held(locks.tryAcquire(name));
    assertThat(locks.withLock(name, Duration.ZERO, TEN_SECONDS, lock -> ran.add(lock.fencingToken())))
        .isEqualTo(LockOutcome.NOT_ACQUIRED);
    assertThat(ran).hasSize(1);
    other.release();

    assertThatThrownBy(() -> locks.withLock(name, Duration.ZERO, TEN_SECONDS, lock -> {
      throw new IllegalStateException("the body failed");
    })).hasMessage("the body failed");
    assertThat(locks.inspect(name).held()).as("released after a failing body").isFalse();
  }

  @Test
  void aHandleIsOwnedByItselfNotByAThread() throws Exception {
    LockService locks = open();
    LockHandle lock = callers.submit(() -> held(locks.tryAcquire(name))).get(10, TimeUnit.SECONDS);
    assertThat(callers.submit(lock::isValid).get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lock.release()).as("released by another thread than the one that took it").isTrue();
  }

  @Test
  void listenersHearGrantsHandOffsReleasesAndLosses() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    LockService locks = open(newBuilder().listener(new LockListener() {
      @Override
      public void onAcquired(String lock, FencingToken token, long waitedNanos, boolean handedOff) {
        events.add("acquired " + (handedOff ? "by hand-off" : "at once"));
      }

      @Override
      public void onHandOff(String lock, FencingToken token, long handOffNanos) {
        events.add("handed off after " + Duration.ofNanos(handOffNanos).toMillis() + " ms");
      }

      @Override
      public void onNotAcquired(String lock, long waitedNanos) {
        events.add("not acquired");
      }

      @Override
      public void onReleased(String lock, FencingToken token, long heldNanos) {
        events.add("released after " + Duration.ofNanos(heldNanos).toSeconds() + " s");
      }

      @Override
      public void onLost(String lock, FencingToken token, Lease.LostReason reason) {
        events.add("lost " + reason);
      }
    }));
    LockHandle first = held(locks.tryAcquire(name, Duration.ZERO, TEN_SECONDS));
    assertThat(locks.tryAcquire(name)).isEmpty();
    Future<Optional<LockHandle>> waiter = waitInLine(locks, MINUTE, TEN_SECONDS);
    scheduler.advance(Duration.ofSeconds(2));
    first.release();
    LockHandle second = held(done(waiter));
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(second.isValid()).isFalse();
    // the release and the waiter's grant are told on two threads, in either order
    // (the manual clock stood still between the release and the waiter's claim)
    assertThat(events).containsExactlyInAnyOrder("acquired at once", "not acquired", "released after 2 s",
        "acquired by hand-off", "handed off after 0 ms", "lost EXPIRED");
    assertThat(events.subList(0, 2)).containsExactly("acquired at once", "not acquired");
    // the waiter's thread tells its grant, then the hand-off (the releaser's event may come between them)
    assertThat(events.indexOf("acquired by hand-off")).isLessThan(events.indexOf("handed off after 0 ms"));
    assertThat(events.get(5)).isEqualTo("lost EXPIRED");
  }

  @Test
  void closingGivesWaitersNothingEndsHandlesAndRefusesLaterCalls() throws Exception {
    LockService locks = open();
    LockHandle holder = held(locks.tryAcquire(name));
    Future<Optional<LockHandle>> waiter = waitInLine(locks, MINUTE, TEN_SECONDS);
    locks.close();
    assertThat(done(waiter)).isEmpty();
    assertThat(holder.isValid()).isFalse();
    assertThat(holder.release()).isFalse();
    assertThatThrownBy(() -> locks.tryAcquire(name)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    locks.close(); // idempotent
  }

  @Test
  void badInputIsRefusedNamingTheValue() throws Exception {
    LockService locks = open();
    assertThatThrownBy(() -> locks.tryAcquire(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> locks.tryAcquire(name, Duration.ZERO, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("lease");
    assertThatThrownBy(() -> locks.tryAcquire(name, null, TEN_SECONDS)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("wait");
    assertThatThrownBy(() -> LockLease.fixed(Duration.ofNanos(999_999))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl (PT0.000999999S)");
    LockHandle lock = held(locks.tryAcquire(name));
    assertThatThrownBy(() -> lock.extend(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
    assertThat(lock.isValid()).as("a refused call changes nothing").isTrue();
  }
}
