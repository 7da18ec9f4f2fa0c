package io.distkit.core.redis;

import io.distkit.core.BackendListener;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.Clock;
import io.distkit.core.DistkitException;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import io.distkit.core.session.LeaseRequest;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.SessionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases in Redis: granted on the server's clock, held by a conservative local deadline, renewed in batches,
 * and reported lost within one check interval.
 *
 * <p>A lease lives in a <em>lease set</em>, a sorted set whose members are lease ids scored by their expiry
 * in microseconds (the {@link LuaPrelude#LEASES} prelude), under the resource's hash tag. A primitive either
 * acquires through {@link #tryAcquire(LeaseRequest, Lease.LostListener)} (one {@code EVALSHA}, with a fencing
 * token if asked), or takes the lease inside a script of its own that calls {@code distkit_lease_acquire} and
 * hands it over with {@link #track}.
 *
 * <p><b>Deadlines.</b> A lease's local deadline is {@link Lease#localDeadline
 * sent + ttl − max(ttl/100, 2 ms)}, where {@code sent} is the holder's monotonic time just before the granting
 * or renewing request was sent: the server's expiry counts from when it ran the script, which is later, and the
 * margin covers clocks that tick at slightly different rates. {@link Lease#isValid()} reads only that deadline:
 * no round trip.
 *
 * <p><b>Renewals.</b> One task, every {@linkplain Builder#checkInterval(Duration) check interval} on the
 * {@link Scheduler}, renews every auto-renewed lease whose last renewal was sent a third of its TTL ago or
 * more: one script call per hash slot on Cluster (per {@linkplain Builder#maxBatch(int) batch} of up to 1,000
 * leases standalone), pipelined, one round trip per connection (see {@link RedisBatch}). 10,000 leases held
 * from one JVM cost 10 commands per renewal on a standalone Redis, not 10,000 timers or calls. A renewal never
 * brings back a lease the server has dropped.
 *
 * <p><b>Losing a lease.</b> {@link Lease.LostListener#onLost} fires once, on the scheduler: with
 * {@link Lease.LostReason#GONE} at the first renewal that finds the lease gone from the server (at most a
 * renewal interval after it went), or with {@link Lease.LostReason#EXPIRED} at the first check after the local
 * deadline passed without a confirmed renewal (Redis down or too slow; renewals are retried at every check
 * until then).
 *
 * <p><b>Cost.</b> No thread of its own (one repeating task on the scheduler), no connection of its own (the
 * client's pool), one {@code EVALSHA} per acquisition or release. Redis down: acquisitions and releases throw
 * {@link BackendUnavailableException} at once once the backend's guard knows; held leases stay valid until
 * their local deadline. Thread-safe.
 */
public final class RedisLeases implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisLeases.class);

  /** The default {@linkplain Builder#checkInterval(Duration) check interval}: 500 ms. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(500);

  /** The default {@linkplain Builder#maxBatch(int) batch}: 1,000 leases per script call. */
  public static final int DEFAULT_MAX_BATCH = 1000;

  /** The source of this class's backend events. */
  private static final String SOURCE = "redis-leases";

  private static final RedisScript ACQUIRE = RedisScript.of("lease_acquire",
      List.of(LuaPrelude.LEASES, LuaPrelude.FENCING), """
          local now = distkit_now_us(ARGV[1])
          local expiry = distkit_lease_acquire(KEYS[1], ARGV[2], now, tonumber(ARGV[3]), tonumber(ARGV[4]))
          if expiry == 0 then
            return {0, 0}
          end
          local token = 0
          if KEYS[2] then
            token = distkit_next_token(KEYS[2], now, tonumber(ARGV[5]))
          end
          return {expiry, token}""");

  private static final RedisScript RENEW = RedisScript.of("lease_renew", List.of(LuaPrelude.LEASES), """
      local now = distkit_now_us(ARGV[1])
      local out = {}
      for i = 1, #KEYS do
        out[i] = distkit_lease_renew(KEYS[i], ARGV[2 * i], now, tonumber(ARGV[2 * i + 1]))
      end
      return out""");

  private static final RedisScript RELEASE = RedisScript.of("lease_release", List.of(LuaPrelude.LEASES),
      "return distkit_lease_release(KEYS[1], ARGV[2], distkit_now_us(ARGV[1]))");

  /**
   * Counters since the manager was built; each only grows except {@code held}.
   *
   * @param held leases held right now
   * @param acquired leases granted (acquired or tracked)
   * @param released leases given up
   * @param lost leases lost (gone or expired)
   * @param renewals lease renewals confirmed
   * @param renewalCalls renewal script calls sent
   * @param renewalFailures renewal rounds that could not reach Redis
   */
  public record Stats(long held, long acquired, long released, long lost, long renewals, long renewalCalls,
      long renewalFailures) {}

  private final RedisBackend backend;
  private final Scheduler scheduler;
  private final Clock clock;
  private final BackendListener listener;
  private final RedisTime time;
  private final long checkNanos;
  private final int maxBatch;
  private final boolean cluster;
  private final Set<RedisLease> held = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Scheduler.Task checks;
  private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  private final AtomicLong ids = new AtomicLong();
  private final LongAdder acquired = new LongAdder();
  private final LongAdder released = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder renewals = new LongAdder();
  private final LongAdder renewalCalls = new LongAdder();
  private final LongAdder renewalFailures = new LongAdder();
  private final byte[] tokenTtl = Long.toString(RedisFencing.DEFAULT_KEY_TTL.toMillis())
      .getBytes(StandardCharsets.US_ASCII);

  private RedisLeases(Builder builder) {
    this.backend = builder.backend;
    this.scheduler = builder.configuredScheduler();
    this.clock = builder.configuredClock();
    this.listener = builder.configuredListener();
    this.time = RedisTime.of(builder.timeSource, clock);
    this.checkNanos = builder.checkNanos;
    this.maxBatch = builder.maxBatch;
    this.cluster = Topology.isCluster(backend.client());
    this.checks = scheduler.scheduleWithFixedDelay(this::check, Duration.ofNanos(checkNanos),
        Duration.ofNanos(checkNanos));
  }

  /**
   * Starts configuring a lease manager.
   *
   * @param backend where leases live
   * @return a builder
   */
  public static Builder builder(RedisBackend backend) {
    return new Builder(Objects.requireNonNull(backend, "backend"));
  }

  /**
   * A lease id unique to this manager: a random prefix per manager and a counter.
   *
   * @return e.g. {@code "9f2c41d07a3be815-17"}
   */
  public String newId() {
    return idPrefix + "-" + ids.incrementAndGet();
  }

  /**
   * Asks for a lease in one round trip ({@code EVALSHA}), with the resource's next fencing token when the
   * request names a token key. Holding it already (same id) renews it.
   *
   * @param request what to acquire
   * @param onLost hears if the lease is lost while held
   * @return the lease, or empty when the resource already has {@code maxHolders} live leases
   * @throws BackendUnavailableException when Redis is unavailable
   * @throws IllegalArgumentException when the TTL is shorter than three check intervals, or the token key is
   *     in another hash slot than the lease key
   */
  public Optional<Lease> tryAcquire(LeaseRequest request, Lease.LostListener onLost) {
    checkUsable(request);
    long sent = clock.nanoTime();
    Object reply = backend.eval(ACQUIRE, keysOf(request), argsOf(request));
    return granted(request, onLost, sent, reply);
  }

  /**
   * Asks for many leases in one pipelined round trip per connection (see {@link RedisBatch}).
   *
   * @param requests what to acquire
   * @param onLost hears if any of them is lost while held
   * @return one entry per request, in order: the lease, or empty when its resource was full
   * @throws BackendUnavailableException when no request could reach Redis
   * @throws DistkitException when a request failed otherwise (leases granted before it are still held)
   */
  public List<Optional<Lease>> tryAcquireAll(List<LeaseRequest> requests, Lease.LostListener onLost) {
    requests.forEach(this::checkUsable);
    RedisBatch batch = RedisBatch.on(backend);
    for (LeaseRequest request : requests) {
      batch.eval(ACQUIRE, keysOf(request), argsOf(request));
    }
    long sent = clock.nanoTime();
    List<RedisBatch.Reply> replies = batch.execute();
    List<Optional<Lease>> out = new ArrayList<>(requests.size());
    DistkitException failure = null;
    for (int i = 0; i < requests.size(); i++) {
      RedisBatch.Reply reply = replies.get(i);
      if (reply.ok()) {
        out.add(granted(requests.get(i), onLost, sent, reply.value()));
      } else {
        failure = reply.error();
        out.add(Optional.empty());
      }
    }
    if (failure != null) {
      throw failure;
    }
    return out;
  }

  /**
   * Takes over a lease that a primitive's own script granted (with {@code distkit_lease_acquire}), so that it
   * is renewed with the others and its loss reported.
   *
   * @param request what was granted (key, id, TTL, renew; the token comes from the script)
   * @param sentAtNanos this clock's {@link Clock#nanoTime()} read just before the granting script was sent
   * @param token the fencing token the script handed out, or null
   * @param onLost hears if the lease is lost
   * @return the lease, held
   */
  public Lease track(LeaseRequest request, long sentAtNanos, @Nullable FencingToken token,
      Lease.LostListener onLost) {
    checkUsable(request);
    return hold(request, onLost, sentAtNanos, token);
  }

  private void checkUsable(LeaseRequest request) {
    if (closed.get()) {
      throw new IllegalStateException("RedisLeases is closed");
    }
    if (request.renew() && Require.saturatedNanos(request.ttl()) < 3 * checkNanos) {
      throw new IllegalArgumentException("ttl (" + request.ttl() + ") of a renewed lease must be at least three "
          + "check intervals (" + Duration.ofNanos(3 * checkNanos) + ")");
    }
    if (request.tokenKey() != null && Topology.slot(bytes(request.tokenKey())) != Topology.slot(bytes(request.key()))) {
      throw new IllegalArgumentException("tokenKey (" + request.tokenKey() + ") must be in the hash slot of key ("
          + request.key() + "): give them one hash tag");
    }
  }

  private List<byte[]> keysOf(LeaseRequest request) {
    return request.tokenKey() == null ? List.of(bytes(request.key()))
        : List.of(bytes(request.key()), bytes(request.tokenKey()));
  }

  private List<byte[]> argsOf(LeaseRequest request) {
    return List.of(time.argument(), bytes(request.id()), ascii(micros(request.ttl())),
        ascii(request.maxHolders()), tokenTtl);
  }

  private Optional<Lease> granted(LeaseRequest request, Lease.LostListener onLost, long sent, @Nullable Object reply) {
    List<?> fields = (List<?>) reply;
    if (fields == null || fields.size() != 2) {
      throw new DistkitException("Script lease_acquire answered " + reply + "; expected {expiry, token}");
    }
    if ((Long) fields.get(0) == 0) {
      return Optional.empty();
    }
    long token = (Long) fields.get(1);
    return Optional.of(hold(request, onLost, sent, token == 0 ? null : new FencingToken(token)));
  }

  private RedisLease hold(LeaseRequest request, Lease.LostListener onLost, long sent, @Nullable FencingToken token) {
    RedisLease lease = new RedisLease(request, onLost, token, sent);
    held.add(lease);
    acquired.increment();
    return lease;
  }

  /**
   * Stops tracking a lease that a primitive's own script ended (with {@code distkit_lease_release}), without a
   * call of its own, so that the primitive's release stays one round trip (a lock's release also hands the lock
   * to its next waiter). The lease turns {@link Lease.State#RELEASED}, is no longer renewed, and its
   * {@code onLost} never fires.
   *
   * @param lease a lease this manager granted or tracks
   * @return true when it was held and now is released; false when it had been released or lost already
   * @throws IllegalArgumentException when another manager granted the lease
   */
  public boolean forget(Lease lease) {
    RedisLease mine = own(lease);
    if (!mine.state.compareAndSet(Lease.State.HELD, Lease.State.RELEASED)) {
      return false;
    }
    held.remove(mine);
    released.increment();
    return true;
  }

  /**
   * Sets a held lease to end {@code ttl} from now, in one round trip ({@code EVALSHA}): a fixed lease gets more
   * time (a lock's {@code extend}); an auto-renewed one keeps being renewed with its own TTL afterwards. The local
   * deadline then counts from this call ({@link Lease#localDeadline}).
   *
   * @param lease a lease this manager granted or tracks
   * @param ttl the new time to live, from now; at least 1 ms
   * @return true when Redis still held the lease; false when it had been released or lost, or Redis no longer
   *     held it (the lease is then lost, {@link Lease.LostReason#GONE})
   * @throws IllegalArgumentException when another manager granted the lease, or {@code ttl} is under 1 ms
   * @throws BackendUnavailableException when Redis is unavailable (the lease keeps its deadline)
   */
  public boolean extend(Lease lease, Duration ttl) {
    RedisLease mine = own(lease);
    long ttlNanos = Require.positiveNanos(ttl, "ttl");
    if (ttlNanos < 1_000_000L) {
      throw new IllegalArgumentException("ttl (" + ttl + ") must be at least 1 ms");
    }
    if (mine.state.get() != Lease.State.HELD) {
      return false;
    }
    long sent = clock.nanoTime();
    Object reply = backend.eval(RENEW, List.of(mine.keyBytes), List.of(time.argument(), mine.idBytes,
        ascii(micros(ttl))));
    if (!(reply instanceof List<?> fields) || fields.size() != 1 || !(fields.get(0) instanceof Long expiry)) {
      throw new DistkitException("Script lease_renew answered " + reply + "; expected {expiry}");
    }
    if (expiry == 0) {
      mine.lose(Lease.LostReason.GONE);
      return false;
    }
    mine.deadlineNanos = Lease.localDeadline(sent, ttlNanos);
    return true;
  }

  private RedisLease own(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    if (!(lease instanceof RedisLease mine) || mine.manager() != this) {
      throw new IllegalArgumentException("lease (" + lease + ") was not granted by this RedisLeases");
    }
    return mine;
  }

  /** One check: loses what ran out, renews what is due. On the scheduler. */
  private void check() {
    long now = clock.nanoTime();
    List<RedisLease> due = new ArrayList<>();
    for (RedisLease lease : held) {
      if (lease.deadlineNanos - now <= 0) {
        lease.lose(Lease.LostReason.EXPIRED);
      } else if (lease.request.renew() && lease.renewAtNanos - now <= 0) {
        due.add(lease);
      }
    }
    if (!due.isEmpty()) {
      renew(due);
    }
  }

  private void renew(List<RedisLease> due) {
    List<List<RedisLease>> groups = groups(due);
    RedisBatch batch = RedisBatch.on(backend);
    byte[] now = time.argument();
    for (List<RedisLease> group : groups) {
      List<byte[]> keys = new ArrayList<>(group.size());
      List<byte[]> args = new ArrayList<>(1 + 2 * group.size());
      args.add(now);
      for (RedisLease lease : group) {
        keys.add(lease.keyBytes);
        args.add(lease.idBytes);
        args.add(lease.ttlMicrosBytes);
      }
      batch.eval(RENEW, keys, args);
    }
    long sent = clock.nanoTime();
    List<RedisBatch.Reply> replies;
    try {
      renewalCalls.add(groups.size());
      replies = batch.execute();
    } catch (BackendUnavailableException e) {
      renewalFailures.increment();
      log.debug("Renewing {} leases failed; retrying at the next check: {}", due.size(), e.toString());
      Listeners.notify(listener, "onError", l -> l.onError(SOURCE, e));
      return;
    }
    for (int g = 0; g < groups.size(); g++) {
      RedisBatch.Reply reply = replies.get(g);
      List<RedisLease> group = groups.get(g);
      if (!reply.ok()) {
        renewalFailures.increment();
        log.debug("Renewing {} leases failed; retrying at the next check: {}", group.size(), reply.error());
        if (reply.error() instanceof BackendUnavailableException e) {
          Listeners.notify(listener, "onError", l -> l.onError(SOURCE, e));
        }
        continue;
      }
      List<?> expiries = (List<?>) reply.value();
      for (int i = 0; i < group.size(); i++) {
        RedisLease lease = group.get(i);
        if ((Long) expiries.get(i) > 0) {
          lease.renewed(sent);
          renewals.increment();
        } else {
          lease.lose(Lease.LostReason.GONE);
        }
      }
    }
  }

  /** Leases to renew in one script call each: one slot per call on Cluster, at most maxBatch per call. */
  private List<List<RedisLease>> groups(List<RedisLease> due) {
    Map<Integer, List<RedisLease>> bySlot = new LinkedHashMap<>();
    for (RedisLease lease : due) {
      bySlot.computeIfAbsent(cluster ? lease.slot : 0, s -> new ArrayList<>()).add(lease);
    }
    List<List<RedisLease>> groups = new ArrayList<>();
    for (List<RedisLease> slot : bySlot.values()) {
      for (int from = 0; from < slot.size(); from += maxBatch) {
        groups.add(slot.subList(from, Math.min(slot.size(), from + maxBatch)));
      }
    }
    return groups;
  }

  /**
   * The manager's counters.
   *
   * @return a snapshot
   */
  public Stats stats() {
    return new Stats(held.size(), acquired.sum(), released.sum(), lost.sum(), renewals.sum(), renewalCalls.sum(),
        renewalFailures.sum());
  }

  /**
   * Stops renewing and checking. Held leases are not released: they run out on the server at their TTL, and
   * locally at their deadline, without an {@code onLost}. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      checks.cancel();
    }
  }

  @Override
  public String toString() {
    return "RedisLeases[" + held.size() + " held, " + time + "]";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  private static long micros(Duration duration) {
    return Require.saturatedNanos(duration) / 1000;
  }

  /** A lease held through this manager. */
  private final class RedisLease implements Lease {
    final LeaseRequest request;
    final Lease.LostListener onLost;
    final @Nullable FencingToken token;
    final byte[] keyBytes;
    final byte[] idBytes;
    final byte[] ttlMicrosBytes;
    final int slot;
    final long ttlNanos;
    final AtomicReference<State> state = new AtomicReference<>(State.HELD);
    volatile long deadlineNanos;
    volatile long renewAtNanos;

    RedisLease(LeaseRequest request, Lease.LostListener onLost, @Nullable FencingToken token, long sentNanos) {
      this.request = request;
      this.onLost = onLost;
      this.token = token;
      this.keyBytes = bytes(request.key());
      this.idBytes = bytes(request.id());
      this.ttlMicrosBytes = ascii(micros(request.ttl()));
      this.slot = Topology.slot(keyBytes);
      this.ttlNanos = Require.saturatedNanos(request.ttl());
      renewed(sentNanos);
    }

    void renewed(long sentNanos) {
      deadlineNanos = Lease.localDeadline(sentNanos, ttlNanos);
      renewAtNanos = sentNanos + ttlNanos / 3;
    }

    RedisLeases manager() {
      return RedisLeases.this;
    }

    void lose(LostReason reason) {
      if (state.compareAndSet(State.HELD, State.LOST)) {
        held.remove(this);
        lost.increment();
        log.debug("Lease {} on {} lost: {}", request.id(), request.key(), reason);
        Listeners.notify(onLost, "onLost", l -> l.onLost(this, reason));
      }
    }

    @Override
    public String id() {
      return request.id();
    }

    @Override
    public boolean isValid() {
      return state.get() == State.HELD && deadlineNanos - clock.nanoTime() > 0;
    }

    @Override
    public long remainingNanos() {
      return state.get() == State.HELD ? Math.max(0, deadlineNanos - clock.nanoTime()) : 0;
    }

    @Override
    public State state() {
      return state.get();
    }

    @Override
    public Optional<FencingToken> token() {
      return Optional.ofNullable(token);
    }

    @Override
    public boolean release() {
      if (!state.compareAndSet(State.HELD, State.RELEASED)) {
        return false;
      }
      held.remove(this);
      released.increment();
      Object reply = backend.eval(RELEASE, List.of(keyBytes), List.of(time.argument(), idBytes));
      return (Long) reply == 1;
    }

    @Override
    public String toString() {
      return "Lease[" + request.key() + " " + request.id() + ", " + state.get()
          + (token != null ? ", token " + token.value() : "") + "]";
    }
  }

  /**
   * Configures {@link RedisLeases}: checks and renewals run on the scheduler, the clock keeps local deadlines
   * (and client time), the listener hears renewal rounds that could not reach Redis ({@code onError}). Not
   * thread-safe.
   */
  public static final class Builder extends SessionBuilder<Builder> {
    private final RedisBackend backend;
    private TimeSource timeSource = TimeSource.SERVER;
    private long checkNanos = DEFAULT_CHECK_INTERVAL.toNanos();
    private int maxBatch = DEFAULT_MAX_BATCH;

    private Builder(RedisBackend backend) {
      this.backend = backend;
    }



    /**
     * Whose clock the server-side expiries use.
     *
     * @param timeSource default {@link TimeSource#SERVER}
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * How often leases are checked: due renewals sent, run-out leases reported. A renewed lease's TTL must be
     * at least three intervals.
     *
     * @param interval positive; default {@link #DEFAULT_CHECK_INTERVAL} (500 ms)
     * @return this builder
     */
    public Builder checkInterval(Duration interval) {
      this.checkNanos = Require.positiveNanos(interval, "checkInterval");
      return this;
    }

    /**
     * How many leases one renewal script call renews at most (the command's size stays bounded).
     *
     * @param maxBatch at least 1; default {@value #DEFAULT_MAX_BATCH}
     * @return this builder
     */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = (int) Require.positive(maxBatch, "maxBatch");
      return this;
    }

    /**
     * Creates the manager and schedules its checks.
     *
     * @return the manager
     */
    public RedisLeases build() {
      return new RedisLeases(this);
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
