package io.distkit.ratelimit.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.distkit.core.session.Scheduler;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiterStats;
import io.distkit.ratelimit.internal.AbstractRateLimiter;
import io.distkit.ratelimit.internal.CompiledLimit;
import io.distkit.ratelimit.internal.LimiterSettings;
import io.distkit.ratelimit.internal.MonotonicMicros;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** The local limiter; see {@link LocalRateLimiter} for what it promises. */
final class LocalLimiter extends AbstractRateLimiter {

  /** Map maintenance: how many keys one sweep step looks at, and how often (1 in SWEEP_EVERY calls). */
  private static final int SWEEP_STEP = 64;
  private static final int SWEEP_EVERY = 256;
  private static final long PASS_INTERVAL_MICROS = 1_000_000;

  /** The sweep on the scheduler, while keys are held: how often, and how many keys one step looks at. */
  static final Duration IDLE_SWEEP_INTERVAL = Duration.ofSeconds(1);
  static final int IDLE_SWEEP_STEP = 65_536;

  private final Cache<String, KeyState> states;
  private final Map<String, KeyState> map;
  private final MonotonicMicros time;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private @Nullable Iterator<KeyState> sweep; // guarded by sweeping
  private long nextPassAt; // guarded by sweeping
  private final Scheduler scheduler;
  private final IdleSweep idleSweep = new IdleSweep(this);
  private final AtomicBoolean idleSweepArmed = new AtomicBoolean();

  LocalLimiter(LimiterSettings settings, long maxKeys) {
    super(settings, true);
    this.time = new MonotonicMicros(clock);
    this.scheduler = settings.scheduler();
    // Caffeine bounds the map (size-based eviction); it does no expiry, which would read a clock on every
    // lookup: keys that are surely fresh are forgotten by sweep() instead
    this.states = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .executor(Runnable::run)
        .evictionListener((String key, @Nullable KeyState state, RemovalCause cause) -> {
          if (state != null) {
            state.retire();
          }
        })
        .build();
    this.map = states.asMap();
  }

  @Override
  protected RateLimitDecision decide(String key, long permits, CompiledLimit limit) {
    long now = time.now();
    maybeSweep(now);
    return decide(states.getIfPresent(key), key, permits, limit, now);
  }

  @Override
  protected boolean consume(String key, long permits, CompiledLimit limit) {
    long now = time.now();
    maybeSweep(now);
    return consume(states.getIfPresent(key), key, permits, limit, now);
  }

  /** Decides through {@code state} if it can, else through the key's state as {@link #stateOf} finds it. */
  private RateLimitDecision decide(@Nullable KeyState state, String key, long permits, CompiledLimit limit,
      long now) {
    RateLimitDecision decision = state == null ? null : state.decide(limit, now, permits);
    while (decision == null) {
      decision = stateOf(key, limit, now).decide(limit, now, permits);
    }
    return decision;
  }

  /** {@link #decide(KeyState, String, long, CompiledLimit, long)}, yes or no. */
  private boolean consume(@Nullable KeyState state, String key, long permits, CompiledLimit limit, long now) {
    int reason = state == null ? KeyState.STALE : state.consume(limit, now, permits);
    while (reason == KeyState.STALE) {
      reason = stateOf(key, limit, now).consume(limit, now, permits);
    }
    return reason == KeyState.ALLOWED;
  }

  @Override
  protected Binding bind(String key) {
    return new KeyBinding(key);
  }

  /** A handle's hold on its key: the key's state, kept until it goes stale. */
  private final class KeyBinding extends Binding {
    private final String key;
    /** The key's state as last seen; a racy cache, checked on every use (a stale state says so). */
    private @Nullable KeyState state;

    KeyBinding(String key) {
      this.key = key;
    }

    /** The state to decide through: the one seen last, unless it says it can no longer decide. */
    private KeyState current(CompiledLimit limit, long now) {
      KeyState current = state;
      if (current == null || !current.serves(limit, now)) {
        current = stateOf(key, limit, now);
        state = current;
      }
      return current;
    }

    @Override
    protected RateLimitDecision decide(long permits, CompiledLimit limit) {
      long now = time.now();
      return LocalLimiter.this.decide(current(limit, now), key, permits, limit, now);
    }

    @Override
    protected boolean consume(long permits, CompiledLimit limit) {
      long now = time.now();
      KeyState current = state;
      int reason = current == null ? KeyState.STALE : current.consume(limit, now, permits);
      if (reason != KeyState.STALE) {
        return reason == KeyState.ALLOWED; // the hot path: no check beyond what consume does itself
      }
      return LocalLimiter.this.consume(current(limit, now), key, permits, limit, now);
    }
  }

  private void maybeSweep(long now) {
    if ((ThreadLocalRandom.current().nextInt() & (SWEEP_EVERY - 1)) == 0 && sweeping.compareAndSet(false, true)) {
      try {
        sweepStep(now, SWEEP_STEP);
      } finally {
        sweeping.set(false);
      }
    }
  }

  /** Looks at up to {@code budget} more keys of the current pass, or starts one; the caller holds sweeping. */
  private void sweepStep(long now, int budget) {
    Iterator<KeyState> cursor = sweep;
    if (cursor == null || !cursor.hasNext()) {
      if (now < nextPassAt) {
        return; // a small map is not rescanned on every step: at most one new pass a second
      }
      cursor = map.values().iterator();
      nextPassAt = now + PASS_INTERVAL_MICROS;
    }
    forgetFresh(cursor, budget, now);
    sweep = cursor;
  }

  /**
   * Callers sweep as they go, so a limiter whose calls stop would keep its keys: while it holds any, a step on
   * the scheduler looks at up to {@link #IDLE_SWEEP_STEP} keys every {@link #IDLE_SWEEP_INTERVAL}. Armed when a
   * key is added; at most one step pending.
   */
  private void armIdleSweep() {
    if (!idleSweepArmed.get() && idleSweepArmed.compareAndSet(false, true)) {
      scheduler.schedule(idleSweep, IDLE_SWEEP_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void sweepWhileIdle() {
    if (sweeping.compareAndSet(false, true)) {
      try {
        sweepStep(time.now(), IDLE_SWEEP_STEP);
      } finally {
        sweeping.set(false);
      }
    }
    idleSweepArmed.set(false);
    if (!map.isEmpty()) {
      armIdleSweep(); // a key added since the line above armed it already, or this does
    }
  }

  /**
   * The scheduled sweep step. It holds the limiter weakly: a limiter nobody references any more is collected
   * with its keys, and its steps stop.
   */
  private static final class IdleSweep implements Runnable {
    private final WeakReference<LocalLimiter> limiter;

    IdleSweep(LocalLimiter limiter) {
      this.limiter = new WeakReference<>(limiter);
    }

    @Override
    public void run() {
      LocalLimiter alive = limiter.get();
      if (alive != null) {
        alive.sweepWhileIdle();
      }
    }

    @Override
    public String toString() {
      return "distkit rate limiter: sweep of fresh keys";
    }
  }

  /** Forgets every key whose state is surely fresh now, at once. */
  void cleanUp() {
    forgetFresh(map.values().iterator(), Integer.MAX_VALUE, time.now());
  }

  /**
   * Looks at up to {@code budget} more keys of a pass and forgets those whose state is surely fresh at
   * {@code now}; never starts another pass.
   */
  private void forgetFresh(Iterator<KeyState> cursor, int budget, long now) {
    for (int i = 0; i < budget && cursor.hasNext(); i++) {
      KeyState state = cursor.next(); // values, not entries: a sweep step allocates nothing
      if (state.forgetIfFresh(now)) {
        map.remove(state.key, state); // only this state: the key may have a new one already
      }
    }
  }

  /**
   * The state that decides for {@code key} under {@code limit} at {@code now}: the map's, or a new one that
   * takes over from it (a key that switched algorithm starts fresh; one whose single-bandwidth limit changed
   * owes what it owed). A key seen for the first time is checked here.
   */
  private KeyState stateOf(String key, CompiledLimit limit, long now) {
    KeyState state = states.getIfPresent(key);
    if (state != null && state.serves(limit, now)) {
      return state;
    }
    if (state == null) {
      checkKey(key); // every key in the map passed this once, so a key found there needs no check
    }
    KeyState result = map.compute(key, (k, existing) -> {
      if (existing != null && existing.serves(limit, now)) {
        return existing;
      }
      KeyState next;
      if (existing instanceof GcraWordState word && word.algorithm == limit.algorithm()) {
        next = word.successor(limit, now);
      } else {
        if (existing != null) {
          existing.retire(); // the key switched algorithm (or was retired): its old state means nothing now
        }
        next = newState(limit, now);
      }
      next.key = k;
      return next;
    });
    if (state == null) {
      armIdleSweep(); // a volatile read when armed already; only on the path of a key new to the map
    }
    return result;
  }

  private static KeyState newState(CompiledLimit limit, long now) {
    if (GcraWordState.eligible(limit)) {
      return GcraWordState.fresh(limit, now);
    }
    return switch (limit.algorithm()) {
      case TOKEN_BUCKET, GCRA -> new GcraState(limit);
      case FIXED_WINDOW -> new FixedWindowState(limit);
      case SLIDING_LOG -> new SlidingLogState(limit);
      case SLIDING_WINDOW_COUNTER -> new SlidingWindowCounterState(limit);
    };
  }

  @Override
  public void reset(String key) {
    checkKey(key);
    KeyState removed = map.remove(key);
    if (removed != null) {
      removed.retire();
    }
  }

  @Override
  public RateLimiterStats stats() {
    return new RateLimiterStats(allowedCount(), deniedCount(), 0, 0, states.estimatedSize());
  }

  @Override
  public String toString() {
    return "LocalRateLimiter[keys=" + states.estimatedSize() + "]";
  }
}
