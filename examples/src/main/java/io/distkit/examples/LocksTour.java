package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.core.redis.RedisBackend;
import io.distkit.locks.FencedReadWriteLock;
import io.distkit.locks.FencedResource;
import io.distkit.locks.FencedSemaphore;
import io.distkit.locks.Leader;
import io.distkit.locks.LeaderElection;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.locks.local.LocalLockService;
import io.distkit.locks.redis.RedisLockService;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Tour's locks section: first come first served with fencing tokens, a paused holder fenced off, and a
 * semaphore, a read-write lock and an election.
 */
final class LocksTour implements TourSection {

  private static final LockLease THIRTY_SECONDS = LockLease.fixed(Duration.ofSeconds(30));

  @Override
  public void runLocal(PrintStream out) {
    try (LockService locks = LocalLockService.builder().build()) {
      heading(out, "locks: three workers, one lock, served first come first served");
      line(out, locks, "invoice:42");
      fencedOff(out, locks);
      kinds(out, locks, "tour");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A holder paused past its lease, and the resource that refuses its late write. */
  private static void fencedOff(PrintStream out, LockService locks) throws InterruptedException {
    heading(out, "locks: a holder paused past its lease is fenced off by its token");
    FencedResource invoices = new FencedResource();
    LockHandle slow = locks.tryAcquire("invoice:7", Duration.ZERO, LockLease.fixed(Duration.ofMillis(50)))
        .orElseThrow();
    pause(Duration.ofMillis(100)); // a GC, a stalled VM: longer than the lease
    LockHandle next = locks.tryAcquire("invoice:7", Duration.ofSeconds(1), THIRTY_SECONDS).orElseThrow();
    out.println("the next holder writes:          accepted " + invoices.write(next.fencingToken(), () -> { }));
    out.println("the paused holder wakes, writes: accepted " + invoices.write(slow.fencingToken(), () -> { })
        + " (its lock is valid: " + slow.isValid() + ")");
    next.release();
  }

  @Override
  public void runRedis(PrintStream out, RedisBackend redis, String where) {
    heading(out, "locks: the same line on Redis at " + where);
    try (LockService locks = RedisLockService.builder(redis).build()) {
      line(out, locks, "tour-" + UUID.randomUUID());
      out.println("underneath: one EVALSHA to acquire (the token included), one to release; a release hands the "
          + "lock to the next waiter and wakes only it");
      kinds(out, locks, "tour-" + UUID.randomUUID());
    }
  }

  /** A semaphore of two permits, a read-write lock with a writer waiting, and an election with a resignation. */
  private static void kinds(PrintStream out, LockService locks, String prefix) {
    heading(out, "locks: a semaphore, a read-write lock, a leader election");
    ExecutorService workers = Executors.newSingleThreadExecutor();
    try {
      FencedSemaphore exports = locks.semaphore(prefix + ":exports", 2);
      LockHandle a = exports.tryAcquire().orElseThrow();
      LockHandle b = exports.tryAcquire().orElseThrow();
      out.println("semaphore of 2: two permits taken, a third -> " + exports.tryAcquire().isPresent());
      a.release();
      b.release();

      FencedReadWriteLock catalog = locks.readWriteLock(prefix + ":catalog");
      LockHandle reader = catalog.read().tryAcquire().orElseThrow();
      Future<Optional<LockHandle>> writer =
          workers.submit(() -> catalog.write().tryAcquire(Duration.ofSeconds(10), THIRTY_SECONDS));
      while (catalog.inspect().waiters() == 0) {
        pause(Duration.ofMillis(1)); // until the writer stands in line
      }
      out.println("read-write: a reader holds, a writer waits; a second reader -> "
          + catalog.read().tryAcquire().isPresent() + " (readers cannot starve a writer)");
      reader.release();
      LockHandle written = writer.get(10, TimeUnit.SECONDS).orElseThrow();
      out.println("read-write: the reader releases -> the writer holds it alone: " + catalog.inspect().exclusive());
      written.release();

      LeaderElection election = locks.election(prefix + ":scheduler");
      LockHandle term = election.campaign("node-1", Duration.ZERO, THIRTY_SECONDS).orElseThrow();
      out.println("election: node-1 leads; node-2 campaigns -> "
          + election.campaign("node-2", Duration.ZERO, THIRTY_SECONDS).isPresent());
      term.release();
      LockHandle next = election.campaign("node-2", Duration.ZERO, THIRTY_SECONDS).orElseThrow();
      out.println("election: node-1 resigns; node-2 leads, newer term: "
          + next.fencingToken().isNewerThan(term.fencingToken()) + ", leader() says "
          + election.leader().map(Leader::candidate).orElse("nobody"));
      next.release();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the writer did not get the lock", e);
    } finally {
      workers.shutdownNow();
    }
  }

  /** A holder and two waiters in line: each release hands the lock to the next, with a larger token. */
  private static void line(PrintStream out, LockService locks, String name) {
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      LockHandle first = locks.tryAcquire(name).orElseThrow();
      out.println("worker-1 holds " + name);
      List<Future<Optional<LockHandle>>> line = new ArrayList<>();
      for (int w = 2; w <= 3; w++) {
        int before = locks.inspect(name).waiters();
        line.add(workers.submit(() -> locks.tryAcquire(name, Duration.ofSeconds(10), THIRTY_SECONDS)));
        while (locks.inspect(name).waiters() == before) {
          pause(Duration.ofMillis(1)); // until it stands in line, so the order is the one printed
        }
        out.println("worker-" + w + " waits in line (" + locks.inspect(name).waiters() + " waiting)");
      }
      LockHandle current = first;
      for (int w = 2; w <= 3; w++) {
        long previous = current.fencingToken().value();
        current.release();
        current = line.get(w - 2).get(10, TimeUnit.SECONDS).orElseThrow();
        out.println("worker-" + (w - 1) + " releases -> worker-" + w + " holds it, token grew: "
            + (current.fencingToken().value() > previous));
      }
      current.release();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("a worker did not get the lock", e);
    } finally {
      workers.shutdownNow();
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
