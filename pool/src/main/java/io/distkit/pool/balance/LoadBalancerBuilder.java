package io.distkit.pool.balance;

import io.distkit.core.Clock;
import io.distkit.core.internal.Require;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.HealthTracker;
import io.distkit.core.session.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * Configures a {@link LoadBalancer}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #endpoint}</td><td>none (at least one)</td><td>a pooled backend</td></tr>
 *   <tr><td>{@link #strategy}</td><td>{@link BalanceStrategy#roundRobin()}</td><td>how one is picked</td></tr>
 *   <tr><td>{@link #ejectAfter}</td><td>5</td><td>failures in a row that take an endpoint out of rotation</td></tr>
 *   <tr><td>{@link #probeBackoff}</td><td>500 ms doubling to 30 s</td><td>between probes of an ejected
 *       endpoint</td></tr>
 *   <tr><td>{@link #healthCheck}</td><td>{@link HealthCheck#borrowOnly()}</td><td>what a probe runs on a borrowed
 *       object</td></tr>
 *   <tr><td>{@link #healthCheckInterval}</td><td>5 s</td><td>how often healthy endpoints are checked; zero: only
 *       ejected ones are probed</td></tr>
 *   <tr><td>{@link #probeTimeout}</td><td>1 s</td><td>a check's wait for an object</td></tr>
 *   <tr><td>{@link #scheduler}, {@link #clock}</td><td>shared, system</td><td>where checks run, the time they
 *       read</td></tr>
 * </table>
 *
 * @param <T> the type of the pooled objects
 */
public final class LoadBalancerBuilder<T> {

  /** The default number of failures in a row that eject an endpoint: 5 (Envoy's consecutive errors). */
  public static final int DEFAULT_EJECT_AFTER = 5;
  /** The default interval of health checks of healthy endpoints: 5 s. */
  public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(5);
  /** The default wait of a health check for an object: 1 s. */
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(1);

  final String name;
  final List<Endpoint<T>> endpoints = new ArrayList<>();
  BalanceStrategy strategy = BalanceStrategy.roundRobin();
  int ejectAfter = DEFAULT_EJECT_AFTER;
  Backoff probeBackoff = HealthTracker.DEFAULT_PROBE_BACKOFF;
  HealthCheck<T> healthCheck = HealthCheck.borrowOnly();
  long healthCheckNanos = DEFAULT_HEALTH_CHECK_INTERVAL.toNanos();
  Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
  Scheduler scheduler = Scheduler.shared();
  Clock clock = Clock.system();
  /** For tests: a random index below its argument (power of two choices). */
  IntUnaryOperator randomIndex = bound -> ThreadLocalRandom.current().nextInt(bound);

  LoadBalancerBuilder(String name) {
    this.name = Require.nonBlank(name, "name");
  }

  /**
   * Adds an endpoint.
   *
   * @param endpoint its id (unique in this balancer), weight and pool
   * @return this builder
   */
  public LoadBalancerBuilder<T> endpoint(Endpoint<T> endpoint) {
    endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
    return this;
  }

  /**
   * How an endpoint is picked.
   *
   * @param strategy default {@link BalanceStrategy#roundRobin()}
   * @return this builder
   */
  public LoadBalancerBuilder<T> strategy(BalanceStrategy strategy) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    return this;
  }

  /**
   * How many failures in a row take an endpoint out of rotation.
   *
   * @param failures at least 1; default 5
   * @return this builder
   */
  public LoadBalancerBuilder<T> ejectAfter(int failures) {
    this.ejectAfter = (int) Require.positive(failures, "ejectAfter");
    return this;
  }

  /**
   * The pauses between probes of an ejected endpoint.
   *
   * @param backoff default 500 ms doubling to 30 s, with jitter
   * @return this builder
   */
  public LoadBalancerBuilder<T> probeBackoff(Backoff backoff) {
    this.probeBackoff = Objects.requireNonNull(backoff, "probeBackoff");
    return this;
  }

  /**
   * What a health check runs on an object borrowed from the endpoint's pool.
   *
   * @param check default: none beyond the borrow itself
   * @return this builder
   */
  public LoadBalancerBuilder<T> healthCheck(HealthCheck<T> check) {
    this.healthCheck = Objects.requireNonNull(check, "healthCheck");
    return this;
  }

  /**
   * How often healthy endpoints are checked (ejected ones are probed by the backoff).
   *
   * @param interval zero (no checks of healthy endpoints) or more; default 5 s
   * @return this builder
   */
  public LoadBalancerBuilder<T> healthCheckInterval(Duration interval) {
    this.healthCheckNanos = Require.nonNegativeNanos(interval, "healthCheckInterval");
    return this;
  }

  /**
   * How long a check waits for an object of the endpoint's pool.
   *
   * @param timeout positive; default 1 s
   * @return this builder
   */
  public LoadBalancerBuilder<T> probeTimeout(Duration timeout) {
    Require.positiveNanos(timeout, "probeTimeout");
    this.probeTimeout = timeout;
    return this;
  }

  /**
   * Where health checks and probes run.
   *
   * @param scheduler default {@link Scheduler#shared()}
   * @return this builder
   */
  public LoadBalancerBuilder<T> scheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * The clock of health checks and probes.
   *
   * @param clock default {@link Clock#system()}
   * @return this builder
   */
  public LoadBalancerBuilder<T> clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** For tests: the random draws of power of two choices. */
  LoadBalancerBuilder<T> randomIndex(IntUnaryOperator randomIndex) {
    this.randomIndex = Objects.requireNonNull(randomIndex, "randomIndex");
    return this;
  }

  /**
   * Starts the balancer (and its health checks).
   *
   * @return the balancer
   * @throws IllegalArgumentException without endpoints, or with two endpoints of one id
   */
  public LoadBalancer<T> build() {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("load balancer " + name + " needs at least one endpoint");
    }
    Set<String> ids = new HashSet<>();
    for (Endpoint<T> endpoint : endpoints) {
      if (!ids.add(endpoint.nodeId())) {
        throw new IllegalArgumentException("endpoint id " + endpoint.nodeId() + " is given twice");
      }
    }
    return new EndpointBalancer<>(this);
  }
}
