package io.distkit.pool.balance;

import io.distkit.core.BackendListener;
import io.distkit.core.session.HealthTracker;
import io.distkit.core.session.Scheduler;
import io.distkit.hashing.NodeLocator;
import io.distkit.pool.object.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/** {@link LoadBalancer#builder}'s balancer: see {@link LoadBalancer} and {@link BalanceStrategy}. */
final class EndpointBalancer<T> implements LoadBalancer<T> {

  /** One endpoint and what the balancer keeps about it. */
  static final class State<T> {
    final Endpoint<T> endpoint;
    final HealthTracker health;

    String id() {
      return endpoint.nodeId();
    }

    final AtomicInteger outstanding = new AtomicInteger();
    final LongAdder picks = new LongAdder();
    /** Smooth weighted round robin's current weight; guarded by {@link #weighted}. */
    long current;

    State(Endpoint<T> endpoint, HealthTracker health) {
      this.endpoint = endpoint;
      this.health = health;
    }
  }

  /** A locator over the endpoints healthy at one health version. */
  private record HashRing<T>(long version, NodeLocator<Endpoint<T>> locator) {}

  private final String name;
  private final BalanceStrategy strategy;
  private final List<State<T>> endpoints;
  private final Map<String, State<T>> byId = new HashMap<>();
  private final HealthCheck<T> healthCheck;
  private final Duration probeTimeout;
  private final IntUnaryOperator randomIndex;
  private final AtomicLong turn = new AtomicLong();
  private final ReentrantLock weighted = new ReentrantLock();
  /** Bumped on every ejection and return: the consistent-hash locator is rebuilt for a new version. */
  private final AtomicLong healthVersion = new AtomicLong();
  private volatile @Nullable HashRing<T> ring;
  private final Scheduler.@Nullable Task checks;
  private final AtomicBoolean closed = new AtomicBoolean();

  EndpointBalancer(LoadBalancerBuilder<T> settings) {
    this.name = settings.name;
    this.strategy = settings.strategy;
    this.healthCheck = settings.healthCheck;
    this.probeTimeout = settings.probeTimeout;
    this.randomIndex = settings.randomIndex;
    BackendListener versions = new BackendListener() {
      @Override
      public void onOutage(String backend, Throwable cause) {
        healthVersion.incrementAndGet();
      }

      @Override
      public void onRecovery(String backend, Duration outage) {
        healthVersion.incrementAndGet();
      }
    };
    List<State<T>> states = new ArrayList<>();
    for (Endpoint<T> endpoint : settings.endpoints) {
      HealthTracker health = HealthTracker.builder(name + "/" + endpoint.nodeId(), () -> check(endpoint))
          .ejectAfter(settings.ejectAfter).probeBackoff(settings.probeBackoff)
          .scheduler(settings.scheduler).clock(settings.clock).listener(versions).build();
      State<T> state = new State<>(endpoint, health);
      states.add(state);
      byId.put(endpoint.nodeId(), state);
    }
    this.endpoints = List.copyOf(states);
    this.checks = settings.healthCheckNanos == 0 ? null : settings.scheduler.scheduleWithFixedDelay(
        this::checkHealthy, Duration.ofNanos(settings.healthCheckNanos), Duration.ofNanos(settings.healthCheckNanos));
  }

  // ---------------------------------------------------------------- lending

  @Override
  public BalancedLease<T> acquire(Duration timeout) throws InterruptedException {
    return lend(pick(null), timeout);
  }

  @Override
  public BalancedLease<T> acquire(String key, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(key, "key");
    return lend(pick(key), timeout);
  }

  @Override
  public Optional<BalancedLease<T>> tryAcquire(@Nullable String key, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    State<T> chosen = pick(key);
    chosen.picks.increment();
    chosen.outstanding.incrementAndGet();
    Optional<Lease<T>> granted;
    try {
      granted = chosen.endpoint.pool().tryAcquire(timeout);
    } catch (InterruptedException | RuntimeException e) {
      chosen.outstanding.decrementAndGet();
      throw e;
    }
    if (granted.isEmpty()) {
      chosen.outstanding.decrementAndGet();
      return Optional.empty();
    }
    return Optional.of(new EndpointLease<>(chosen, granted.get()));
  }

  /** Borrows from the chosen endpoint's pool, counted as outstanding until the lease ends. */
  private BalancedLease<T> lend(State<T> chosen, Duration timeout) throws InterruptedException {
    chosen.picks.increment();
    chosen.outstanding.incrementAndGet();
    try {
      return new EndpointLease<>(chosen, chosen.endpoint.pool().acquire(timeout));
    } catch (InterruptedException | RuntimeException e) {
      chosen.outstanding.decrementAndGet();
      throw e;
    }
  }

  /**
   * Picks among the healthy endpoints; a strategy that finds none (every endpoint out, or the last one ejected while
   * it looked) picks among all of them, rather than fail every call (Envoy's panic mode).
   */
  private State<T> pick(@Nullable String key) {
    if (closed.get()) {
      throw new IllegalStateException("load balancer " + name + " is closed");
    }
    return pick(key, false);
  }

  /** The strategy's pick among the healthy endpoints ({@code all}: among all of them). */
  State<T> pick(@Nullable String key, boolean all) {
    return switch (strategy.kind) {
      case ROUND_ROBIN -> roundRobin(all);
      case WEIGHTED_ROUND_ROBIN -> weightedRoundRobin(all);
      case LEAST_OUTSTANDING -> leastOutstanding(all);
      case POWER_OF_TWO_CHOICES -> powerOfTwoChoices(all);
      case CONSISTENT_HASH -> consistentHash(key, all);
    };
  }

  private boolean eligible(State<T> state, boolean all) {
    return all || state.health.isHealthy();
  }

  private State<T> roundRobin(boolean all) {
    int n = endpoints.size();
    for (int tries = 0; tries < n; tries++) {
      State<T> state = endpoints.get((int) Math.floorMod(turn.getAndIncrement(), (long) n));
      if (eligible(state, all)) {
        return state;
      }
    }
    return roundRobin(true); // none healthy: pick among all
  }

  /** nginx's smooth weighted round robin: add each weight to its current, take the largest, take off the total. */
  private State<T> weightedRoundRobin(boolean all) {
    weighted.lock();
    try {
      State<T> best = null;
      long total = 0;
      for (State<T> state : endpoints) {
        if (!eligible(state, all)) {
          continue;
        }
        state.current += state.endpoint.weight();
        total += state.endpoint.weight();
        if (best == null || state.current > best.current) {
          best = state;
        }
      }
      if (best == null) {
        return weightedRoundRobin(true); // none healthy: among all (the lock is reentrant)
      }
      best.current -= total;
      return best;
    } finally {
      weighted.unlock();
    }
  }

  /** Fewest outstanding per unit of weight; the scan starts at a turning index so that ties are taken in turn. */
  private State<T> leastOutstanding(boolean all) {
    int n = endpoints.size();
    int start = (int) Math.floorMod(turn.getAndIncrement(), (long) n);
    State<T> best = null;
    for (int i = 0; i < n; i++) {
      State<T> state = endpoints.get((start + i) % n);
      if (eligible(state, all) && (best == null || lessLoaded(state, best))) {
        best = state;
      }
    }
    return best != null ? best : leastOutstanding(true); // none healthy: among all
  }

  private static <T> boolean lessLoaded(State<T> a, State<T> b) {
    return (long) a.outstanding.get() * b.endpoint.weight() < (long) b.outstanding.get() * a.endpoint.weight();
  }

  private State<T> powerOfTwoChoices(boolean all) {
    int n = endpoints.size();
    if (n == 1) {
      return endpoints.get(0);
    }
    for (int attempt = 0; attempt < 8; attempt++) {
      int i = randomIndex.applyAsInt(n);
      int j = randomIndex.applyAsInt(n - 1);
      if (j >= i) {
        j++; // two distinct endpoints, uniformly
      }
      State<T> a = endpoints.get(i);
      State<T> b = endpoints.get(j);
      boolean aOk = eligible(a, all);
      boolean bOk = eligible(b, all);
      if (aOk && bOk) {
        return b.outstanding.get() < a.outstanding.get() ? b : a;
      }
      if (aOk || bOk) {
        return aOk ? a : b;
      }
    }
    return leastOutstanding(all); // most endpoints are out: scan them
  }

  private State<T> consistentHash(@Nullable String key, boolean all) {
    if (key == null) {
      throw new IllegalArgumentException("load balancer " + name + " hashes keys: use acquire(key, timeout)");
    }
    long version = all ? -healthVersion.get() - 1 : healthVersion.get();
    HashRing<T> current = ring;
    if (current == null || current.version() != version) {
      List<Endpoint<T>> eligible = new ArrayList<>();
      for (State<T> state : endpoints) {
        if (eligible(state, all)) {
          eligible.add(state.endpoint);
        }
      }
      if (eligible.isEmpty()) {
        return consistentHash(key, true); // none healthy: among all
      }
      current = new HashRing<>(version, strategy.locators.locator(eligible));
      ring = current;
    }
    return byId.get(current.locator().locate(key).nodeId());
  }

  // ---------------------------------------------------------------- health

  /** A health check: borrow from the endpoint's pool and run the check; throws when the endpoint does not work. */
  private void check(Endpoint<T> endpoint) throws Exception {
    try (Lease<T> lease = endpoint.pool().acquire(probeTimeout)) {
      boolean ok;
      try {
        ok = healthCheck.check(lease.get());
      } catch (Exception e) {
        lease.invalidate();
        throw e;
      }
      if (!ok) {
        lease.invalidate();
        throw new IllegalStateException("health check of " + endpoint.nodeId() + " failed");
      }
    }
  }

  /** Checks the healthy endpoints (ejected ones are probed by their trackers). */
  private void checkHealthy() {
    for (State<T> state : endpoints) {
      if (closed.get() || !state.health.isHealthy()) {
        continue;
      }
      try {
        check(state.endpoint);
        state.health.recordSuccess();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        state.health.recordFailure(e);
      }
    }
  }

  @Override
  public List<EndpointStats> stats() {
    List<EndpointStats> stats = new ArrayList<>(endpoints.size());
    for (State<T> state : endpoints) {
      HealthTracker.Stats health = state.health.stats();
      stats.add(new EndpointStats(state.endpoint.nodeId(), state.health.isHealthy(), state.outstanding.get(),
          state.picks.sum(), health.failures(), health.ejections()));
    }
    return stats;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (checks != null) {
        checks.cancel();
      }
      endpoints.forEach(state -> state.health.close());
    }
  }

  @Override
  public String toString() {
    return "LoadBalancer[" + name + ", " + strategy + ", " + endpoints.size() + " endpoints]";
  }

  /** A lease of the chosen endpoint's pool that counts the endpoint's outstanding leases and reports its health. */
  private static final class EndpointLease<T> implements BalancedLease<T> {
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<EndpointLease> ENDED =
        AtomicIntegerFieldUpdater.newUpdater(EndpointLease.class, "ended");

    private final State<T> state;
    private final Lease<T> lease;
    /** 1 once closed or invalidated (a field, not an AtomicBoolean: one object less per lease). */
    private volatile int ended;
    private volatile boolean failed;

    private boolean end() {
      return ENDED.compareAndSet(this, 0, 1);
    }

    EndpointLease(State<T> state, Lease<T> lease) {
      this.state = state;
      this.lease = lease;
    }

    @Override
    public String endpoint() {
      return state.endpoint.nodeId();
    }

    @Override
    public void failed(Throwable failure) {
      Objects.requireNonNull(failure, "failure");
      if (!failed && ended == 0) {
        failed = true;
        state.health.recordFailure(failure);
      }
    }

    @Override
    public T get() {
      return lease.get();
    }

    @Override
    public boolean isOpen() {
      return ended == 0 && lease.isOpen();
    }

    @Override
    public void close() {
      if (end()) {
        state.outstanding.decrementAndGet();
        if (!failed) {
          state.health.recordSuccessKeepingEjection(); // only a probe brings an ejected endpoint back
        }
        lease.close();
      }
    }

    @Override
    public void invalidate() {
      if (end()) {
        state.outstanding.decrementAndGet();
        lease.invalidate();
      }
    }

    @Override
    public String toString() {
      return "BalancedLease[" + endpoint() + ", " + lease + "]";
    }
  }
}
