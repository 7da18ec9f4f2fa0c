package io.distkit.locks.redis;

import io.distkit.core.Clock;
import io.distkit.core.DistkitException;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisFencing;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisLeases;
import io.distkit.core.redis.RedisScript;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import io.distkit.core.session.LeaseRequest;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.Subscriber;
import io.distkit.core.session.Subscription;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockInfo;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockStats;
import io.distkit.locks.internal.EngineLockService;
import io.distkit.locks.internal.LockEvents;
import io.distkit.locks.internal.LockKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RedisLockService}'s service: see there. */
final class RedisLocks extends EngineLockService {

  private static final Logger log = LoggerFactory.getLogger(RedisLocks.class);

  private final RedisBackend backend;
  private final RedisKeys keys;
  /** The keys of each kind's namespace ({@code locks}, {@code semaphores}, ...), same prefix as {@link #keys}. */
  private final Map<String, RedisKeys> namespaces = new ConcurrentHashMap<>();
  private final RedisTime time;
  private final Clock clock;
  private final LockEvents events;
  private final long recheckNanos;
  private final long leaseCheckNanos;
  private final byte[] claimMicros;
  private final byte[] tokenTtlMillis = ascii(RedisFencing.DEFAULT_KEY_TTL.toMillis());
  private final RedisLeases leases;
  private final RedisSubscriptions.Share pubsub;
  private final String channel;
  private final byte[] channelBytes;
  /**
   * {@code 1} when the scripts publish hand-offs themselves (pub/sub not sharded: a script may publish on any
   * channel), saving the releasing JVM a round trip; {@code 0} on sharded pub/sub (Redis 7 Cluster), where a script
   * cannot publish on the waiter's channel in another slot, so this JVM publishes after the script.
   */
  private final byte[] publishInline;
  private final Subscription subscription;
  /** Callers waiting in line, by lease id. */
  private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
  /** Handles held right now. */
  private final Set<RedisLockHandle> held = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();


  RedisLocks(RedisBackend backend, RedisKeys keys, RedisTime time, LockLease defaultLease, Clock clock,
      Scheduler scheduler, LockEvents events, Duration recheck, Duration claim, Duration leaseCheck,
      RedisLeases leases, RedisSubscriptions.Share pubsub) {
    super(defaultLease, scheduler);
    this.backend = backend;
    this.keys = keys;
    this.time = time;
    this.clock = clock;
    this.events = events;
    this.recheckNanos = recheck.toNanos();
    this.leaseCheckNanos = leaseCheck.toNanos();
    this.claimMicros = ascii(TimeUnit.NANOSECONDS.toMicros(claim.toNanos()));
    this.leases = leases;
    this.pubsub = pubsub;
    this.channel = keys.key(Long.toHexString(ThreadLocalRandom.current().nextLong()), "notify");
    this.channelBytes = channel.getBytes(StandardCharsets.UTF_8);
    this.publishInline = pubsub.isSharded() ? NO : YES;
    this.subscription = pubsub.subscribe(channel, new Subscriber() {
      @Override
      public void onMessage(String from, byte[] message) {
        Waiter waiter = waiting.get(new String(message, StandardCharsets.UTF_8));
        if (waiter != null) {
          waiter.wakes.release();
        }
      }

      @Override
      public void onMissedMessages(String from) {
        waiting.values().forEach(w -> w.wakes.release()); // each asks again
      }
    });
  }

  /** The four keys of one name of a kind, in the scripts' order. */
  private List<byte[]> keysOf(LockKind kind, String name) {
    RedisKeys space = namespaces.computeIfAbsent(kind.namespace(), n -> RedisKeys.of(keys.prefix(), n));
    return List.of(space.keyBytes(name, "lease"), space.keyBytes(name, "token"), space.keyBytes(name, "line"),
        space.keyBytes(name, "waiters"));
  }

  /**
   * One call of {@code tryAcquire}: its attempts run one at a time, on the caller's thread (the first one, and
   * after a notification) or on the scheduler (each re-check, and the last one at the deadline).
   */
  private final class Waiter {
    final String name;
    final LockKind kind;
    final byte[] limit;
    final List<byte[]> lockKeys;
    final String id;
    final byte[] idBytes;
    final LockLease lease;
    final byte[] ttlMicros;
    final long start;
    final long deadline;
    /** Released by a notification, and after each re-check, so that the caller looks again. */
    final Semaphore wakes = new Semaphore(0);
    final CompletableFuture<Optional<LockHandle>> result = new CompletableFuture<>();
    final ReentrantLock step = new ReentrantLock();
    /** Guarded by {@link #step}. */
    boolean queued;
    /** Guarded by {@link #step}. */
    Scheduler.@Nullable Task timer;
    int attempts;

    Waiter(LockKind kind, String name, String id, LockLease lease, long start, long wait) {
      this.name = name;
      this.kind = kind;
      this.limit = ascii(kind.limit());
      this.lockKeys = keysOf(kind, name);
      this.id = id;
      this.idBytes = id.getBytes(StandardCharsets.UTF_8);
      this.lease = lease;
      this.ttlMicros = ascii(TimeUnit.NANOSECONDS.toMicros(Require.saturatedNanos(lease.ttl())));
      this.start = start;
      this.deadline = start + wait;
    }

    /** One attempt: takes or claims the lock, stays in line (with a re-check timer), or gives up at the deadline. */
    void attempt() {
      step.lock();
      try {
        if (result.isDone()) {
          return;
        }
        if (closed.get()) {
          giveUp();
          return;
        }
        long sent = clock.nanoTime();
        long remaining = deadline - sent;
        // in line, a waiter's entry outlives its wait by two re-checks, so that it is not dropped while it asks
        long queueFor = remaining > 0 ? TimeUnit.NANOSECONDS.toMicros(remaining + 2 * recheckNanos) : 0;
        if (queueFor > 0) {
          queued = true; // until the answer says otherwise: a script whose reply is lost may have queued the caller
        }
        Answer answer = run(LockScripts.ACQUIRE, lockKeys, List.of(time.argument(), idBytes, ttlMicros,
            tokenTtlMillis, ascii(queueFor), channelBytes, claimMicros, attempts > 0 ? AGAIN : FIRST, limit,
            publishInline));
        attempts++;
        if (answer.result() > 0) {
          queued = false; // a grant takes the caller out of line
          finish(Optional.of(granted(this, sent, new FencingToken(answer.result()), answer.claimedAfterMicros())));
          return;
        }
        if (!answer.queued()) {
          giveUp(); // leaves the line it stood in, if any
          return;
        }
        long delay = Math.max(0, Math.min(recheckNanos, deadline - clock.nanoTime()));
        timer = scheduler().schedule(this::recheck, delay, TimeUnit.NANOSECONDS);
      } catch (RuntimeException e) {
        // the script may have run before the reply was lost: free what it may have granted (best effort; if
        // Redis cannot be reached, a lock granted to this call runs out at its lease's TTL, renewed by nobody)
        giveUpQuietly();
        releaseQuietly(lockKeys, idBytes);
        result.completeExceptionally(e);
      } finally {
        step.unlock();
      }
    }

    /** The scheduler's re-check: one more attempt, then the caller looks at the outcome. */
    private void recheck() {
      attempt();
      if (result.isDone()) {
        wakes.release();
      }
    }

    /** Under the step lock. */
    private void giveUp() {
      giveUpQuietly();
      finish(notGranted(name, start));
    }

    /** Leaves the line, if in it: a lock handed over meanwhile goes to the next waiter. Under the step lock. */
    private void giveUpQuietly() {
      if (queued) {
        queued = false;
        try {
          run(LockScripts.CANCEL, lockKeys, List.of(time.argument(), idBytes, tokenTtlMillis, claimMicros,
              publishInline));
        } catch (RuntimeException e) {
          log.debug("Could not leave the line of {}; the entry expires after the wait: {}", name, e.toString());
        }
      }
    }

    /** Under the step lock. */
    private void finish(Optional<LockHandle> outcome) {
      if (timer != null) {
        timer.cancel();
      }
      result.complete(outcome);
    }

    /** The caller was interrupted: it leaves, holding nothing. */
    void abandon() {
      step.lock();
      try {
        if (!result.isDone()) {
          giveUpQuietly();
          finish(Optional.empty());
          return;
        }
      } finally {
        step.unlock();
      }
      result.getNow(Optional.empty()).ifPresent(LockHandle::release);
    }
  }

  /**
   * A script's answer.
   *
   * @param result the script's result (a token for a grant)
   * @param queued whether the caller stands in line
   * @param claimedAfterMicros how long the hand-off the caller claimed waited for the claim; -1 when none
   */
  private record Answer(long result, boolean queued, long claimedAfterMicros) {}

  /** ACQUIRE's last argument: the caller's first attempt, or a later one. */
  private static final byte[] FIRST = {'0'};
  private static final byte[] AGAIN = {'1'};

  /** A script's yes-or-no argument. */
  private static final byte[] NO = {'0'};
  private static final byte[] YES = {'1'};

  private void releaseQuietly(List<byte[]> lockKeys, byte[] idBytes) {
    try {
      run(LockScripts.RELEASE, lockKeys, List.of(time.argument(), idBytes, tokenTtlMillis, claimMicros,
          publishInline));
    } catch (RuntimeException e) {
      log.debug("Could not release after a failed call; a lock it got runs out at its TTL: {}", e.toString());
    }
  }

  /**
   * A new holder's id: its mode first ({@code x} exclusive, {@code s} shared, as the scripts read it), then its
   * lease's kind ({@code r} renewed, {@code f} fixed, so that any JVM's {@code inspect} can tell), then a lease id
   * unique to this JVM, then the candidate of an election after a space.
   */
  private String newId(LockKind kind, LockLease lease, @Nullable String candidate) {
    String id = (kind.exclusive() ? "x" : "s") + (lease.renewed() ? "r" : "f") + leases.newId();
    return candidate == null ? id : id + " " + candidate;
  }

  @Override
  public Optional<LockHandle> acquire(LockKind kind, String name, Duration wait, LockLease lease,
      @Nullable String candidate) throws InterruptedException {
    checkRenewable(lease);
    checkOpen();
    String id = newId(kind, lease, candidate);
    Waiter waiter = new Waiter(kind, name, id, lease, clock.nanoTime(), Math.max(0, Require.saturatedNanos(wait)));
    waiting.put(id, waiter);
    try {
      waiter.attempt();
      while (!waiter.result.isDone()) {
        try {
          waiter.wakes.acquire();
        } catch (InterruptedException e) {
          waiter.abandon();
          throw e;
        }
        waiter.wakes.drainPermits();
        waiter.attempt(); // a notification: claim at once (after a re-check, this returns at once)
      }
    } finally {
      waiting.remove(id);
    }
    try {
      return waiter.result.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : e;
    }
  }

  private Optional<LockHandle> notGranted(String name, long start) {
    events.notAcquired(name, Math.max(0, clock.nanoTime() - start));
    return Optional.empty();
  }

  private LockHandle granted(Waiter waiter, long sent, FencingToken token, long claimedAfterMicros) {
    RedisLockHandle handle = new RedisLockHandle(waiter, token, sent);
    events.acquired(waiter.name, token, Math.max(0, clock.nanoTime() - waiter.start),
        claimedAfterMicros < 0 ? -1 : TimeUnit.MICROSECONDS.toNanos(claimedAfterMicros));
    return handle;
  }

  /** Runs a lock script and announces the hand-offs it made, if any. */
  private Answer run(RedisScript script, List<byte[]> lockKeys, List<byte[]> args) {
    Object reply = backend.eval(script, lockKeys, args);
    if (!(reply instanceof List<?> fields) || fields.size() < 3 || fields.size() % 2 != 1) {
      throw new DistkitException("Script " + script.name() + " answered " + reply
          + "; expected a result, whether queued, a claim's wait, and pairs of waiter and channel");
    }
    for (int i = 3; i < fields.size(); i += 2) {
      String handedTo = text(fields.get(i));
      try {
        pubsub.publish(text(fields.get(i + 1)), handedTo.getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        // the waiter asks again within its re-check interval
        log.debug("Could not tell waiter {} it was handed the lock: {}", handedTo, e.toString());
      }
    }
    return new Answer((Long) fields.get(0), (Long) fields.get(1) == 1, (Long) fields.get(2));
  }

  private static String text(@Nullable Object field) {
    if (field instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return field == null ? "" : field.toString();
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /** Refuses, before anything is sent, a renewed lease too short to renew (core's leases would refuse it after). */
  void checkRenewable(LockLease lease) {
    if (lease.renewed() && Require.saturatedNanos(lease.ttl()) < 3 * leaseCheckNanos) {
      throw new IllegalArgumentException("ttl (" + lease.ttl() + ") of a renewed lock must be at least three lease "
          + "check intervals (" + Duration.ofNanos(3 * leaseCheckNanos) + ")");
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this lock service is closed");
    }
  }

  /** Whether the notification channel is subscribed (tests wait for it, so that no hand-off goes unheard). */
  boolean listening() {
    return subscription.isLive();
  }

  @Override
  public Inspection inspect(LockKind kind, String name) {
    Object reply = backend.eval(LockScripts.INSPECT, keysOf(kind, name), List.of(time.argument()));
    if (!(reply instanceof List<?> fields) || fields.size() != 5) {
      throw new DistkitException("Script lock_inspect answered " + reply + "; expected 5 fields");
    }
    int waiters = Math.toIntExact((Long) fields.get(3));
    int holders = Math.toIntExact((Long) fields.get(0));
    if (holders == 0) {
      return new Inspection(LockInfo.free(name, waiters), null);
    }
    String first = text(fields.get(4));
    boolean exclusive = first.startsWith("x");
    int space = first.indexOf(' ');
    String candidate = exclusive && space > 0 ? first.substring(space + 1) : null;
    boolean renewed = first.length() > 1 && first.charAt(1) == 'r';
    return new Inspection(new LockInfo(name, new FencingToken((Long) fields.get(2)),
        Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos((Long) fields.get(1))), renewed, waiters, holders, exclusive),
        candidate);
  }

  @Override
  public LockStats stats() {
    RedisLeases.Stats renewals = leases.stats();
    return events.stats(held.size(), renewals.renewals(), renewals.renewalFailures());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    waiting.values().forEach(w -> w.wakes.release()); // each leaves the line
    for (RedisLockHandle handle : new ArrayList<>(held)) {
      try {
        handle.release();
      } catch (RuntimeException e) {
        log.debug("Could not release {} on close; its lease runs out: {}", handle, e.toString());
      }
    }
    subscription.close();
    pubsub.close();
    leases.close();
  }

  @Override
  public String toString() {
    return "RedisLockService" + stats();
  }

  /** A grant: a core lease kept and renewed by {@link RedisLeases}, released by the lock's own script. */
  private final class RedisLockHandle implements LockHandle {
    final String name;
    final List<byte[]> lockKeys;
    final byte[] idBytes;
    final LockLease lease;
    final FencingToken token;
    final Lease core;
    final long grantedAtNanos;
    /** Guarded by this handle. */
    final List<Lease.LostListener> lostListeners = new ArrayList<>(1);
    /** Guarded by this handle. */
    Lease.@Nullable LostReason lostReason;

    RedisLockHandle(Waiter waiter, FencingToken token, long sent) {
      this.name = waiter.name;
      this.lockKeys = waiter.lockKeys;
      this.idBytes = waiter.idBytes;
      this.lease = waiter.lease;
      this.token = token;
      this.grantedAtNanos = sent;
      String leaseKey = new String(lockKeys.get(0), StandardCharsets.UTF_8);
      held.add(this);
      this.core = leases.track(new LeaseRequest(leaseKey, waiter.id, lease.ttl(), 1, lease.renewed(), null), sent,
          token, (l, reason) -> lostNow(reason));
    }

    /** The lease was lost: RedisLeases' check, on the scheduler(). */
    private void lostNow(Lease.LostReason reason) {
      List<Lease.LostListener> toTell;
      synchronized (this) {
        lostReason = reason;
        toTell = List.copyOf(lostListeners);
        lostListeners.clear();
      }
      held.remove(this);
      events.lost(name, token, reason);
      for (Lease.LostListener l : toTell) {
        Listeners.notify(l, "onLost", x -> x.onLost(this, reason));
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String id() {
      return core.id();
    }

    @Override
    public FencingToken fencingToken() {
      return token;
    }

    @Override
    public LockLease lease() {
      return lease;
    }

    @Override
    public boolean isValid() {
      return core.isValid();
    }

    @Override
    public long remainingNanos() {
      return core.remainingNanos();
    }

    @Override
    public State state() {
      return core.state();
    }

    @Override
    public boolean extend(Duration ttl) {
      if (lease.renewed()) {
        Require.positiveNanos(ttl, "ttl");
        return core.isValid();
      }
      return leases.extend(core, ttl);
    }

    @Override
    public void whenLost(Lease.LostListener l) {
      Objects.requireNonNull(l, "listener");
      Lease.LostReason reason;
      synchronized (this) {
        reason = lostReason;
        if (reason == null) {
          if (core.state() == State.HELD) {
            lostListeners.add(l);
          }
          return;
        }
      }
      scheduler().execute(() -> Listeners.notify(l, "onLost", x -> x.onLost(this, reason)));
    }

    @Override
    public boolean release() {
      State before = core.state();
      if (before == State.RELEASED) {
        return false;
      }
      boolean forgot = leases.forget(core);
      held.remove(this);
      Answer answer = run(LockScripts.RELEASE, lockKeys, List.of(time.argument(), idBytes, tokenTtlMillis,
          claimMicros, publishInline));
      if (!forgot || answer.result() != 1) {
        return false;
      }
      events.released(name, token, clock.nanoTime() - grantedAtNanos);
      return true;
    }

    @Override
    public void close() {
      release();
    }

    @Override
    public String toString() {
      return "LockHandle[" + name + ", " + token + ", " + state() + "]";
    }
  }
}
