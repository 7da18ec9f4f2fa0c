package io.distkit.cache;

import io.distkit.core.Clock;
import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every {@link Cache} takes, local or not.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #defaultTtl}</td><td>{@link #DEFAULT_TTL}</td><td>how long an entry lives unless
 *       {@code put} says otherwise</td></tr>
 *   <tr><td>{@link #negativeTtl}</td><td>zero (not remembered)</td><td>how long a loader's "not found" is
 *       remembered</td></tr>
 *   <tr><td>{@link #clock}</td><td>{@link Clock#system()}</td><td>entries' expiry and load times</td></tr>
 *   <tr><td>{@link #listener}</td><td>{@link CacheListener#NONE}</td><td>hears loads and dropped copies</td></tr>
 * </table>
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class CacheBuilder<K, V, B extends CacheBuilder<K, V, B>> {

  /** The default time to live: 10 minutes. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  private final String name;
  private Duration defaultTtl = DEFAULT_TTL;
  private Duration negativeTtl = Duration.ZERO;
  private Clock clock = Clock.system();
  private CacheListener listener = CacheListener.NONE;

  /**
   * For subclasses.
   *
   * @param name the cache's name: non-blank
   */
  protected CacheBuilder(String name) {
    this.name = Require.nonBlank(name, "name");
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * How long an entry lives unless {@link Cache#put(Object, Object, Duration)} says otherwise.
   *
   * @param ttl at least 1 ms; default {@link #DEFAULT_TTL}
   * @return this builder
   */
  public final B defaultTtl(Duration ttl) {
    this.defaultTtl = atLeastOneMilli(ttl, "defaultTtl");
    return self();
  }

  /**
   * How long a loader's "not found" (null) is remembered, so that a missing key does not reach the loader on every
   * read (negative caching). Zero: not remembered.
   *
   * @param ttl zero, or at least 1 ms; default zero
   * @return this builder
   */
  public final B negativeTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "negativeTtl");
    this.negativeTtl = ttl.isZero() ? ttl : atLeastOneMilli(ttl, "negativeTtl");
    return self();
  }

  /**
   * The clock of entries' expiry ({@code nanoTime}; a Redis cache with client time also uses {@code epochMillis})
   * and of load times.
   *
   * @param clock default {@link Clock#system()}; a {@code ManualClock} in tests
   * @return this builder
   */
  public final B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Hears loads, failed loads and a near cache's dropped copies.
   *
   * @param listener default {@link CacheListener#NONE}
   * @return this builder
   */
  public final B listener(CacheListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /**
   * Checks a time to live.
   *
   * @param ttl the value
   * @param name its name in messages
   * @return {@code ttl}
   * @throws IllegalArgumentException when shorter than 1 ms, naming it
   */
  public static Duration atLeastOneMilli(Duration ttl, String name) {
    if (Require.positiveNanos(ttl, name) < 1_000_000L) {
      throw new IllegalArgumentException(name + " (" + ttl + ") must be at least 1 ms");
    }
    return ttl;
  }

  /**
   * For implementations: the name.
   *
   * @return the cache's name
   */
  protected final String configuredName() {
    return name;
  }

  /**
   * For implementations: the default time to live.
   *
   * @return the TTL set, or {@link #DEFAULT_TTL}
   */
  protected final Duration configuredDefaultTtl() {
    return defaultTtl;
  }

  /**
   * For implementations: the negative time to live.
   *
   * @return the TTL set, or zero
   */
  protected final Duration configuredNegativeTtl() {
    return negativeTtl;
  }

  /**
   * For implementations: the clock.
   *
   * @return the clock set, or the system clock
   */
  protected final Clock configuredClock() {
    return clock;
  }

  /**
   * For implementations: the listener.
   *
   * @return the listener set, or {@link CacheListener#NONE}
   */
  protected final CacheListener configuredListener() {
    return listener;
  }

  /**
   * Builds the cache.
   *
   * @return a cache with these settings
   */
  public abstract Cache<K, V> build();
}
