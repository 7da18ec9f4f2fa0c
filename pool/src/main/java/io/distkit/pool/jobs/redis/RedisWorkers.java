package io.distkit.pool.jobs.redis;

import io.distkit.core.DistkitException;
import io.distkit.core.internal.Require;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.FencingToken;
import io.distkit.pool.jobs.Job;
import io.distkit.pool.jobs.JobHandler;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.internal.GroupGate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link io.distkit.pool.jobs.JobQueue#work} call's workers on Redis: a dispatcher (one blocking task) that
 * talks to Redis for all of them, and {@code concurrency} workers (long-running tasks) that run handlers.
 *
 * <p>The dispatcher loops: it sends the outcomes of the attempts that ended since its last call together with a
 * claim for as many jobs as workers are free (one script), hands the claimed jobs to the workers, extends the leases
 * of the attempts at hand every third of a lease (one script), and otherwise waits, parked, for a worker's outcome,
 * a wake-up message, the next due time Redis told it, or the poll interval.
 */
final class RedisWorkers<P> implements JobWorkers {

  private static final Logger log = LoggerFactory.getLogger(RedisWorkers.class);
  private static final byte[] ACK = {'a'};
  private static final byte[] FAIL = {'f'};
  private static final byte[] BURY = {'x'};
  private static final byte[] RELEASE = {'r'};
  private static final byte[] DEFER = {'d'};
  private static final byte[] NONE = new byte[0];
  private static final Backoff OUTAGE_BACKOFF = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2));
  private static final int MAX_FAILURE_TEXT = 2_000;
  private static final Object STOP = new Object();

  /** A claimed attempt, from the claim to its outcome. */
  private static final class Attempt<P> {
    static final int WAITING = 0;
    static final int RUNNING = 1;
    static final int ENDED = 2;
    static final int RELEASED = 3;

    final Job<P> job;
    final JobHeader header;
    final byte[] id;
    final byte[] token;
    final AtomicInteger state = new AtomicInteger(WAITING);
    volatile @Nullable Thread thread;

    Attempt(Job<P> job, JobHeader header, byte[] id) {
      this.job = job;
      this.header = header;
      this.id = id;
      this.token = RedisQueue.ascii(job.token().value());
    }
  }

  /** An ended attempt, to tell Redis. */
  private record Outcome(byte[] op, byte[] id, byte[] token, byte[] delayMicros, byte[] failure) {}

  private final RedisQueue<P> queue;
  private final int concurrency;
  private final JobHandler<P> handler;
  private final GroupGate gate;
  /** Attempts for the workers, and {@link #STOP} once per worker when the dispatcher ends. */
  private final LinkedBlockingQueue<Object> handOff = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  /** Attempts claimed and not yet ended, by job id. */
  private final Map<String, Attempt<P>> atHand = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong startLatencyNanos = new AtomicLong();
  private final AtomicLong started = new AtomicLong();
  private final CountDownLatch dispatcherDone = new CountDownLatch(1);
  private final CountDownLatch workersDone;
  private volatile @Nullable Thread dispatcher;
  /** Set by anything that wants the dispatcher to call Redis now. */
  private volatile boolean woken = true;
  private volatile boolean stopping;
  private volatile boolean gaveUp;

  RedisWorkers(RedisQueue<P> queue, int concurrency, JobHandler<P> handler, GroupGate gate) {
    this.queue = queue;
    this.concurrency = concurrency;
    this.handler = handler;
    this.gate = gate;
    this.workersDone = new CountDownLatch(concurrency);
  }

  void start() {
    Runnable dispatch = this::dispatch;
    queue.scheduler.executeBlocking("jobs-" + queue.name + "-dispatcher", dispatch);
    for (int i = 0; i < concurrency; i++) {
      Runnable work = this::work;
      if (queue.executor != null) {
        queue.executor.execute(work);
      } else {
        queue.scheduler.executeBlocking("jobs-" + queue.name + "-" + i, work);
      }
    }
  }

  /** Asks the dispatcher to call Redis now. */
  void wake() {
    woken = true;
    Thread waiting = dispatcher;
    if (waiting != null) {
      LockSupport.unpark(waiting);
    }
  }

  long startLatencyNanos() {
    return startLatencyNanos.get();
  }

  long started() {
    return started.get();
  }

  // ---------------------------------------------------------------------------------------------- the dispatcher

  private void dispatch() {
    dispatcher = Thread.currentThread();
    List<Outcome> unsent = new ArrayList<>();
    long nextDueNanos = Long.MAX_VALUE; // local time of the next due job or lease deadline Redis told of
    long nextPollNanos = queue.clock.nanoTime() + queue.pollIntervalNanos;
    long nextExtendNanos = queue.clock.nanoTime() + queue.leaseNanos / 3;
    int failuresInARow = 0;
    try {
      while (true) {
        for (Outcome outcome = outcomes.poll(); outcome != null; outcome = outcomes.poll()) {
          unsent.add(outcome);
        }
        long now = queue.clock.nanoTime();
        boolean stop = stopping;
        if (stop && atHand.isEmpty() && unsent.isEmpty() && outcomes.isEmpty()) {
          return;
        }
        if (gaveUp) {
          return; // a drain out of time: what could not be said is said by the leases running out
        }
        int wanted = stop ? 0 : Math.min(queue.claimBatch, concurrency - atHand.size());
        boolean due = now - nextDueNanos >= 0 || now - nextPollNanos >= 0;
        boolean ask = !unsent.isEmpty() || due || (wanted > 0 && woken);
        try {
          if (ask) {
            woken = false;
            int asked = wanted;
            long sent = queue.clock.nanoTime();
            long[] next = claim(unsent, wanted);
            unsent.clear();
            // the next due time counted from when the call was sent: the script ran after that, so the timer fires
            // early (by at most the round trip: one more call finds it not quite due) rather than late
            nextDueNanos = next[0] < 0 ? Long.MAX_VALUE : sent + next[0] * 1_000;
            nextPollNanos = queue.clock.nanoTime() + queue.pollIntervalNanos;
            if (asked > 0 && next[1] == asked) {
              woken = true; // a full batch: there may be more
            }
          }
          if (now - nextExtendNanos >= 0) {
            extend();
            nextExtendNanos = queue.clock.nanoTime() + queue.leaseNanos / 3;
          }
          failuresInARow = 0;
        } catch (RuntimeException e) {
          // Redis down or slow, or (not a DistkitException) a reply this code could not read: either way the
          // dispatcher carries on after a pause rather than leave its workers idle; a job it could not read comes
          // back when its lease runs out, and goes to the dead letters once out of attempts
          failuresInARow++;
          if (failuresInARow == 1) {
            if (e instanceof DistkitException) {
              log.warn("Job queue {}: Redis call failed; retrying with backoff ({} outcomes kept)", queue.name,
                  unsent.size(), e);
            } else {
              log.error("Job queue {}: a reply could not be read; retrying with backoff", queue.name, e);
            }
          }
          LockSupport.parkNanos(OUTAGE_BACKOFF.delayNanos(Math.min(failuresInARow, 30)));
          woken = true;
          continue;
        }
        long wait = Math.min(Math.min(nextDueNanos, nextPollNanos), nextExtendNanos) - queue.clock.nanoTime();
        if (wait > 0 && !moreToDo(stop)) {
          LockSupport.parkNanos(this, wait);
        }
      }
    } catch (RuntimeException | Error e) {
      log.error("Job queue {}: dispatcher failed; its workers stop (their jobs run again after their leases)",
          queue.name, e);
      stopping = true;
      gaveUp = true;
      throw e;
    } finally {
      for (int i = 0; i < concurrency; i++) {
        handOff.add(STOP);
      }
      dispatcher = null;
      dispatcherDone.countDown();
    }
  }

  /** Whether the dispatcher has something to do before it may wait. */
  private boolean moreToDo(boolean wasStopping) {
    return !outcomes.isEmpty() || stopping != wasStopping || (woken && !stopping && atHand.size() < concurrency);
  }

  /**
   * One claim call: sends the outcomes, claims up to {@code wanted} jobs and hands them to the workers.
   *
   * @return µs until the next due time (-1: none), and how many jobs were claimed
   */
  private long[] claim(List<Outcome> unsent, int wanted) {
    List<byte[]> args = queue.arguments(4 + unsent.size() * 5);
    args.add(RedisQueue.ascii(wanted));
    args.add(RedisQueue.ascii(queue.leaseMicros));
    args.add(RedisQueue.ascii(queue.maxDead));
    args.add(RedisQueue.ascii(unsent.size()));
    for (Outcome outcome : unsent) {
      args.add(outcome.op());
      args.add(outcome.id());
      args.add(outcome.token());
      args.add(outcome.delayMicros());
      args.add(outcome.failure());
    }
    List<?> reply = (List<?>) queue.backend.eval(JobScripts.CLAIM, queue.claimKeys(), args);
    long now = (Long) reply.get(0);
    long nextDue = (Long) reply.get(1);
    queue.publishIfAsked(reply.get(2));
    String letters = RedisQueue.text(reply.get(3));
    for (int i = 0; i < letters.length(); i++) {
      if (letters.charAt(i) == 'S') {
        log.debug("Job queue {}: a stale outcome was refused", queue.name);
      }
    }
    OutcomeHook hook = queue.outcomeHook;
    for (int i = 0; hook != null && i < letters.length(); i++) {
      Outcome outcome = unsent.get(i);
      hook.told(new String(outcome.id(), StandardCharsets.UTF_8),
          Long.parseLong(new String(outcome.token(), StandardCharsets.US_ASCII)), (char) outcome.op()[0],
          letters.charAt(i));
    }
    int claimed = 0;
    for (int i = 4; i + 2 < reply.size(); i += 3) {
      byte[] idBytes = (byte[]) reply.get(i);
      String id = RedisQueue.text(idBytes);
      byte[] headerText = (byte[]) reply.get(i + 1);
      JobHeader header;
      P payload;
      try {
        header = JobHeader.parse(headerText);
      } catch (RuntimeException e) {
        bury(id, headerText, "unreadable header", e); // written by another version of this code, or by hand
        continue;
      }
      try {
        payload = queue.codec.decode((byte[]) reply.get(i + 2));
      } catch (RuntimeException e) {
        bury(id, headerText, "unreadable payload", e);
        continue;
      }
      Attempt<P> attempt = new Attempt<>(new Job<>(id, payload, header.attempt(), new FencingToken(header.token())),
          header, idBytes);
      startLatencyNanos.addAndGet(Math.max(0, now - header.dueMicros()) * 1_000);
      started.incrementAndGet();
      atHand.put(id, attempt);
      claimed++;
      if (stopping && attempt.state.compareAndSet(Attempt.WAITING, Attempt.RELEASED)) {
        release(attempt); // claimed while a drain began: no attempt starts once it has
      } else {
        handOff.add(attempt);
      }
    }
    return new long[] {nextDue < 0 ? -1 : Math.max(0, nextDue - now), claimed};
  }

  /**
   * Sends a job no attempt can read straight to the dead letters, with the reason; a header too broken to give the
   * attempt's token leaves the job to its lease (it comes back, and is dead once out of attempts).
   */
  private void bury(String id, byte[] headerText, String what, RuntimeException why) {
    OptionalLong token = JobHeader.tokenOf(headerText);
    log.warn("Job queue {}: job {} has an {} ({}); {}", queue.name, id, what, why.toString(),
        token.isPresent() ? "dead-lettered" : "left to its lease");
    if (token.isPresent()) {
      outcomes.add(new Outcome(BURY, id.getBytes(StandardCharsets.UTF_8), RedisQueue.ascii(token.getAsLong()), NONE,
          failureText(what + ": " + why)));
      woken = true;
    }
  }

  /** Extends the lease of every attempt at hand (one call); an attempt whose lease is lost is only logged. */
  private void extend() {
    List<Attempt<P>> attempts = new ArrayList<>(atHand.values());
    if (attempts.isEmpty()) {
      return;
    }
    List<byte[]> args = queue.arguments(1 + attempts.size() * 2);
    args.add(RedisQueue.ascii(queue.leaseMicros));
    for (Attempt<P> attempt : attempts) {
      args.add(attempt.id);
      args.add(attempt.token);
    }
    List<?> reply = (List<?>) queue.backend.eval(JobScripts.EXTEND, queue.extendKeys(), args);
    for (int i = 1; i < reply.size(); i++) {
      Attempt<P> lost = attempts.get(((Long) reply.get(i)).intValue());
      if (lost.state.get() != Attempt.ENDED) {
        log.warn("Job queue {}: the lease of job {} attempt {} ran out before it ended: it runs again elsewhere, and "
            + "this attempt's outcome will be refused", queue.name, lost.job.id(), lost.job.attempt());
      }
    }
  }

  // ------------------------------------------------------------------------------------------------- the workers

  private void work() {
    try {
      while (true) {
        Object next;
        try {
          next = handOff.take();
        } catch (InterruptedException e) {
          continue; // a drain's interrupt that came after its attempt ended
        }
        if (next == STOP) {
          return;
        }
        @SuppressWarnings("unchecked")
        Attempt<P> attempt = (Attempt<P>) next;
        if (stopping) {
          if (attempt.state.compareAndSet(Attempt.WAITING, Attempt.RELEASED)) {
            release(attempt); // a drain began: no attempt starts once it has
          }
          continue;
        }
        if (!attempt.state.compareAndSet(Attempt.WAITING, Attempt.RUNNING)) {
          continue; // released by the drain
        }
        GroupGate.Pass pass = gate.enter(attempt.header.group());
        long deferNanos = pass.deferNanos();
        if (deferNanos > 0) {
          if (attempt.state.compareAndSet(Attempt.RUNNING, Attempt.ENDED)) {
            tell(attempt, new Outcome(DEFER, attempt.id, attempt.token, RedisQueue.ascii(deferNanos / 1_000), NONE));
          }
          continue;
        }
        attempt.thread = Thread.currentThread();
        running.incrementAndGet();
        Throwable failure = null;
        try {
          handler.handle(attempt.job);
        } catch (Exception | Error e) {
          failure = e;
        } finally {
          attempt.thread = null;
          running.decrementAndGet();
          pass.leave();
        }
        if (attempt.state.compareAndSet(Attempt.RUNNING, Attempt.ENDED)) {
          ended(attempt, failure);
        }
        Thread.interrupted(); // a drain's interrupt belongs to the attempt it gave up on
      }
    } finally {
      workersDone.countDown();
    }
  }

  private void ended(Attempt<P> attempt, @Nullable Throwable failure) {
    Outcome outcome;
    if (failure == null) {
      outcome = new Outcome(ACK, attempt.id, attempt.token, NONE, NONE);
    } else {
      long delayMicros;
      try {
        delayMicros = attempt.header.backoff().delayNanos(Math.max(1, attempt.job.attempt())) / 1_000;
      } catch (RuntimeException e) { // a backoff this code cannot read: retried after a second rather than lost
        log.warn("Job queue {}: job {} has a backoff this code cannot read ({}); retrying after 1 s", queue.name,
            attempt.job.id(), e.toString());
        delayMicros = 1_000_000;
      }
      outcome = new Outcome(FAIL, attempt.id, attempt.token, RedisQueue.ascii(delayMicros),
          failureText(failure.toString()));
    }
    tell(attempt, outcome);
  }

  private static byte[] failureText(String text) {
    return (text.length() > MAX_FAILURE_TEXT ? text.substring(0, MAX_FAILURE_TEXT) : text)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Gives a job back to the queue, as not attempted (a drain that did not let it start or finish). */
  private void release(Attempt<P> attempt) {
    tell(attempt, new Outcome(RELEASE, attempt.id, attempt.token, NONE, NONE));
  }

  private void tell(Attempt<P> attempt, Outcome outcome) {
    outcomes.add(outcome);
    atHand.remove(attempt.job.id(), attempt);
    wake();
  }

  // ----------------------------------------------------------------------------------------------------- drain

  @Override
  public int running() {
    return running.get();
  }

  @Override
  public boolean close(Duration deadline) {
    long waitNanos = Require.nonNegativeNanos(deadline, "deadline");
    long end = queue.clock.nanoTime() + waitNanos;
    stopping = true;
    // jobs claimed but not started go back at once
    for (Attempt<P> waiting : atHand.values()) {
      if (waiting.state.compareAndSet(Attempt.WAITING, Attempt.RELEASED)) {
        release(waiting);
      }
    }
    wake();
    boolean inTime = awaitUntil(dispatcherDone, end);
    if (!inTime) {
      // out of time: attempts still running go back to the queue, as not attempted, and their threads are
      // interrupted; their outcome, if it comes, is dropped (and Redis would refuse it: the token is spent)
      for (Attempt<P> late : atHand.values()) {
        if (late.state.compareAndSet(Attempt.RUNNING, Attempt.RELEASED)
            || late.state.compareAndSet(Attempt.WAITING, Attempt.RELEASED)) {
          release(late);
          Thread thread = late.thread;
          if (thread != null) {
            thread.interrupt();
          }
        }
      }
      // the releases go out with the dispatcher's last call; if Redis does not answer within a second, the leases
      // running out give the jobs back instead
      if (!awaitUntil(dispatcherDone, queue.clock.nanoTime() + TimeUnit.SECONDS.toNanos(1))) {
        gaveUp = true;
        wake();
      }
    }
    queue.ended(this);
    return inTime;
  }

  private boolean awaitUntil(CountDownLatch latch, long endNanos) {
    try {
      long remaining = endNanos - queue.clock.nanoTime();
      return latch.await(Math.max(0, remaining), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return latch.getCount() == 0;
    }
  }

  @Override
  public String toString() {
    return "JobWorkers[" + queue.name + ", " + running.get() + " of " + concurrency + " running]";
  }
}
