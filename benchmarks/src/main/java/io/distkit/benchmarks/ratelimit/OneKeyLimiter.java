package io.distkit.benchmarks.ratelimit;

/**
 * One implementation's yes/no decision for one permit of one fixed key, so every implementation is called the
 * same way. Each JMH fork measures one implementation, so the call site stays monomorphic.
 */
@FunctionalInterface
public interface OneKeyLimiter {

  /**
   * Asks for one permit.
   *
   * @return whether it was granted
   */
  boolean tryAcquire();
}
