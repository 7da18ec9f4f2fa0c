package io.distkit.pool.balance;

import io.distkit.hashing.LocatorConfig;
import java.util.Objects;

/**
 * How a {@link LoadBalancer} picks among its healthy endpoints.
 *
 * <ul>
 *   <li>{@link #roundRobin()}: each in turn, weights ignored.
 *   <li>{@link #weightedRoundRobin()}: in proportion to the weights, interleaved (nginx's smooth weighted round
 *       robin: weights 5, 1, 1 give a a b a c a a).
 *   <li>{@link #leastOutstanding()}: the endpoint with the fewest leases out per unit of weight (ties taken in
 *       turn).
 *   <li>{@link #powerOfTwoChoices()}: two endpoints at random, the one with fewer leases out (Mitzenmacher); weights
 *       ignored. Nearly as even as least outstanding without reading every endpoint.
 *   <li>{@link #consistentHash(LocatorConfig)}: the endpoint a locator of the {@code hashing} module gives the
 *       request's key, among the healthy ones (an ejected endpoint's keys move to others, the rest stay); needs a
 *       key ({@link LoadBalancer#acquire(String, java.time.Duration)}).
 * </ul>
 */
public final class BalanceStrategy {

  enum Kind {
    ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, LEAST_OUTSTANDING, POWER_OF_TWO_CHOICES, CONSISTENT_HASH
  }

  final Kind kind;
  final LocatorConfig locators;

  private BalanceStrategy(Kind kind, LocatorConfig locators) {
    this.kind = kind;
    this.locators = locators;
  }

  /**
   * Each healthy endpoint in turn.
   *
   * @return the strategy
   */
  public static BalanceStrategy roundRobin() {
    return new BalanceStrategy(Kind.ROUND_ROBIN, LocatorConfig.maglev());
  }

  /**
   * Smooth weighted round robin.
   *
   * @return the strategy
   */
  public static BalanceStrategy weightedRoundRobin() {
    return new BalanceStrategy(Kind.WEIGHTED_ROUND_ROBIN, LocatorConfig.maglev());
  }

  /**
   * The fewest leases out per unit of weight.
   *
   * @return the strategy
   */
  public static BalanceStrategy leastOutstanding() {
    return new BalanceStrategy(Kind.LEAST_OUTSTANDING, LocatorConfig.maglev());
  }

  /**
   * The less loaded of two endpoints picked at random.
   *
   * @return the strategy
   */
  public static BalanceStrategy powerOfTwoChoices() {
    return new BalanceStrategy(Kind.POWER_OF_TWO_CHOICES, LocatorConfig.maglev());
  }

  /**
   * The endpoint of the request's key, by a consistent-hash locator over the healthy endpoints.
   *
   * @param locators which locator ({@code LocatorConfig.maglev()}, {@code rendezvous()}, {@code ring()}...)
   * @return the strategy
   */
  public static BalanceStrategy consistentHash(LocatorConfig locators) {
    return new BalanceStrategy(Kind.CONSISTENT_HASH, Objects.requireNonNull(locators, "locators"));
  }

  @Override
  public String toString() {
    return kind == Kind.CONSISTENT_HASH ? "consistentHash(" + locators + ")" : kind.toString();
  }
}
