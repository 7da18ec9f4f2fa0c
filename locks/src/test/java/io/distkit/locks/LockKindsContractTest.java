package io.distkit.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
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
 * What every {@link LockService} promises of its semaphores, read-write locks and elections: run by
 * {@code LocalLockKindsTest} and the Redis services' tests, on a manual clock like {@link LockServiceContractTest}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class LockKindsContractTest extends LockServiceHarness {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final LockLease TEN_SECONDS = LockLease.fixed(Duration.ofSeconds(10));

  private Future<Optional<LockHandle>> waitFor(FencedLock lock) {
    return waitInLine(() -> lock.inspect().waiters(), () -> lock.tryAcquire(MINUTE, TEN_SECONDS));
  }

  private static List<FencingToken> tokens(List<LockHandle> handles) {
    return handles.stream().map(LockHandle::fencingToken).toList();
  }

  @Test
  void aSemaphoreGrantsItsPermitsWithGrowingTokensAndRefusesOneMore() throws Exception {
    LockService locks = open();
    FencedSemaphore semaphore = locks.semaphore(name, 3);
    assertThat(semaphore.permits()).isEqualTo(3);
    assertThat(semaphore.name()).isEqualTo(name);
    List<LockHandle> permits = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      permits.add(held(semaphore.tryAcquire()));
    }
    assertThat(tokens(permits)).isSorted().doesNotHaveDuplicates();
    assertThat(semaphore.tryAcquire()).as("all three taken").isEmpty();
    LockInfo info = semaphore.inspect();
    assertThat(info.holders()).isEqualTo(3);
    assertThat(info.exclusive()).isFalse();
    assertThat(info.holder()).contains(permits.get(2).fencingToken());
    assertThat(locks.tryAcquire(name)).as("a lock of the same name is another thing").isPresent();

    assertThat(permits.get(1).release()).isTrue();
    LockHandle again = held(semaphore.tryAcquire());
    assertThat(again.fencingToken().isNewerThan(permits.get(2).fencingToken())).isTrue();
    assertThat(semaphore.inspect().holders()).isEqualTo(3);
  }

  @Test
  void aPermitWhoseHolderStoppedComesBackWhenItsLeaseRunsOut() throws Exception {
    LockService locks = open();
    FencedSemaphore semaphore = locks.semaphore(name, 2);
    LockHandle crashed = held(semaphore.tryAcquire(Duration.ZERO, TEN_SECONDS));
    LockHandle other = held(semaphore.tryAcquire(Duration.ZERO, LockLease.fixed(MINUTE)));
    Future<Optional<LockHandle>> waiter = waitFor(semaphore);
    scheduler.advance(Duration.ofMillis(9_999));
    assertThat(waiter).isNotDone();
    scheduler.advance(Duration.ofMillis(1));
    LockHandle returned = held(done(waiter));
    assertThat(crashed.state()).isEqualTo(Lease.State.LOST);
    assertThat(returned.fencingToken().isNewerThan(other.fencingToken())).isTrue();
    assertThat(semaphore.inspect().holders()).isEqualTo(2);
  }

  @Test
  void semaphoreWaitersAreServedInOrderAndOneReleaseServesOneWaiter() throws Exception {
    LockService locks = open();
    FencedSemaphore semaphore = locks.semaphore(name, 2);
    LockHandle a = held(semaphore.tryAcquire());
    LockHandle b = held(semaphore.tryAcquire());
    Future<Optional<LockHandle>> first = waitFor(semaphore);
    Future<Optional<LockHandle>> second = waitFor(semaphore);
    Future<Optional<LockHandle>> third = waitFor(semaphore);
    a.release();
    LockHandle firstGot = held(done(first));
    assertThat(semaphore.tryAcquire()).as("no barging in front of the line").isEmpty();
    assertThat(second).isNotDone();
    b.release();
    held(done(second));
    assertThat(third).isNotDone();
    firstGot.release();
    held(done(third));
    assertThat(semaphore.inspect().waiters()).isZero();
  }

  @Test
  void readersShareAndAWriterHoldsAlone() throws Exception {
    LockService locks = open();
    FencedReadWriteLock rw = locks.readWriteLock(name);
    assertThat(rw.name()).isEqualTo(name);
    LockHandle r1 = held(rw.read().tryAcquire());
    LockHandle r2 = held(rw.read().tryAcquire());
    assertThat(rw.write().tryAcquire()).as("readers hold it").isEmpty();
    assertThat(rw.inspect().holders()).isEqualTo(2);
    r1.release();
    r2.release();
    LockHandle w = held(rw.write().tryAcquire());
    assertThat(w.fencingToken().isNewerThan(r2.fencingToken())).as("one token sequence for both sides").isTrue();
    assertThat(rw.inspect().exclusive()).isTrue();
    assertThat(rw.read().tryAcquire()).as("a writer holds it").isEmpty();
    assertThat(rw.write().tryAcquire()).isEmpty();
    assertThat(locks.tryAcquire(name)).as("a lock of the same name is another thing").isPresent();
  }

  @Test
  void readersCannotStarveAWriterAndThoseBehindItEnterTogether() throws Exception {
    LockService locks = open();
    FencedReadWriteLock rw = locks.readWriteLock(name);
    LockHandle reader = held(rw.read().tryAcquire());
    Future<Optional<LockHandle>> writer = waitFor(rw.write());
    assertThat(rw.read().tryAcquire()).as("a reader arriving while a writer waits queues behind it").isEmpty();
    Future<Optional<LockHandle>> lateReader1 = waitFor(rw.read());
    Future<Optional<LockHandle>> lateReader2 = waitFor(rw.read());
    Future<Optional<LockHandle>> lastWriter = waitFor(rw.write());
    reader.release();
    LockHandle w = held(done(writer));
    assertThat(lateReader1).isNotDone();
    w.release();
    LockHandle l1 = held(done(lateReader1));
    LockHandle l2 = held(done(lateReader2));
    assertThat(rw.inspect().holders()).as("both readers behind the writer, at once").isEqualTo(2);
    assertThat(lastWriter).as("the next writer waits for both").isNotDone();
    l1.release();
    assertThat(lastWriter).isNotDone();
    l2.release();
    LockHandle last = held(done(lastWriter));
    assertThat(last.fencingToken().isNewerThan(l2.fencingToken())).isTrue();
  }

  @Test
  void aWriterThatGivesUpLetsTheReadersBehindItIn() throws Exception {
    LockService locks = open();
    FencedReadWriteLock rw = locks.readWriteLock(name);
    LockHandle reader = held(rw.read().tryAcquire());
    Future<Optional<LockHandle>> writer = waitInLine(() -> rw.inspect().waiters(),
        () -> rw.write().tryAcquire(Duration.ofSeconds(5), TEN_SECONDS));
    Future<Optional<LockHandle>> lateReader = waitFor(rw.read());
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(done(writer)).isEmpty();
    LockHandle late = held(done(lateReader));
    assertThat(rw.inspect().holders()).isEqualTo(2);
    assertThat(late.isValid()).isTrue();
    assertThat(reader.isValid()).isTrue();
  }

  @Test
  void oneCandidateLeadsAtATimeAndEachTermIsNewer() throws Exception {
    LockService locks = open();
    LeaderElection election = locks.election(name);
    assertThat(election.leader()).isEmpty();
    LockHandle first = held(election.campaign("node-1", Duration.ZERO, LockLease.renewed(Duration.ofSeconds(10))));
    Leader leader = election.leader().orElseThrow();
    assertThat(leader.candidate()).isEqualTo("node-1");
    assertThat(leader.term()).isEqualTo(first.fencingToken());
    assertThat(election.campaign("node-2", Duration.ZERO, TEN_SECONDS)).as("node-1 leads").isEmpty();
    assertThat(locks.tryAcquire(name)).as("a lock of the same name is another thing").isPresent();

    Future<Optional<LockHandle>> second = waitInLine(() -> election.inspect().waiters(),
        () -> election.campaign("node 2 (standby)", MINUTE, TEN_SECONDS));
    assertThat(first.release()).as("node-1 resigns").isTrue();
    LockHandle next = held(done(second));
    Leader now = election.leader().orElseThrow();
    assertThat(now.candidate()).isEqualTo("node 2 (standby)");
    assertThat(now.term()).isEqualTo(next.fencingToken());
    assertThat(now.term().isNewerThan(leader.term())).isTrue();
  }

  @Test
  void anObserverHearsTheFirstReadingAndEachNewTerm() throws Exception {
    LockService locks = open();
    LeaderElection election = locks.election(name);
    List<String> heard = new CopyOnWriteArrayList<>();
    LeaderElection.Observation observation = election.observe(Duration.ofSeconds(1),
        leader -> heard.add(leader.map(Leader::candidate).orElse("nobody")));
    scheduler.runDue();
    assertThat(heard).containsExactly("nobody");
    LockHandle term = held(election.campaign("a", Duration.ZERO, TEN_SECONDS));
    scheduler.advance(Duration.ofSeconds(1));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(heard).as("one change, heard once").containsExactly("nobody", "a");
    CompletableFuture<Lease.LostReason> lost = new CompletableFuture<>();
    term.whenLost((lease, reason) -> lost.complete(reason));
    scheduler.advance(Duration.ofSeconds(8));
    assertThat(lost).as("a fixed term runs out").isCompletedWithValue(Lease.LostReason.EXPIRED);
    assertThat(heard).containsExactly("nobody", "a", "nobody");
    held(election.campaign("a", Duration.ZERO, TEN_SECONDS));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(heard).as("the same candidate, a new term").containsExactly("nobody", "a", "nobody", "a");
    observation.close();
    term.release();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(heard).as("closed").hasSize(4);
  }

  @Test
  void badInputIsRefusedNamingTheValue() {
    LockService locks = open();
    assertThatThrownBy(() -> locks.semaphore(name, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits (0)");
    assertThatThrownBy(() -> locks.semaphore(" ", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> locks.readWriteLock("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    LeaderElection election = locks.election(name);
    assertThatThrownBy(() -> election.campaign(" ", Duration.ZERO, TEN_SECONDS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("candidate");
    assertThatThrownBy(() -> election.campaign("x".repeat(257), Duration.ZERO, TEN_SECONDS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("257 characters");
    assertThatThrownBy(() -> election.observe(Duration.ZERO, leader -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every");
    assertThatThrownBy(() -> locks.semaphore(name, 2).tryAcquire(null, TEN_SECONDS))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("wait");
  }
}
