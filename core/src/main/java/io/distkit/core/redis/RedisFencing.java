package io.distkit.core.redis;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.Clock;
import io.distkit.core.DistkitException;
import io.distkit.core.internal.Require;
import io.distkit.core.session.FencingToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Fencing tokens in Redis: for each resource, a token that only grows, across holders, client restarts and
 * failovers. One {@code EVALSHA} per token.
 *
 * <p>The token is {@code max(last + 1, now in microseconds)} (by the server's clock unless configured
 * otherwise), kept under the resource's own key, so on Redis Cluster it lives in the resource's slot. Losing
 * the key (a failover before it replicated, an expiry) does not make tokens go back, as long as the new
 * master's clock is not behind the moment the lost token was given and a resource is not granted more than a
 * million times a second. Primitives that grant and fence in one script (a lock's acquire) call the same Lua,
 * {@code distkit_next_token}, from the {@link LuaPrelude#FENCING} prelude.
 *
 * <p>The key's value has format version 1. Thread-safe.
 */
public final class RedisFencing {

  /** How long a resource's last token is kept after it was given: one day. */
  public static final Duration DEFAULT_KEY_TTL = Duration.ofDays(1);

  private static final RedisScript NEXT = RedisScript.of("next_token", List.of(LuaPrelude.FENCING),
      "return distkit_next_token(KEYS[1], distkit_now_us(ARGV[1]), tonumber(ARGV[2]))");

  private final RedisBackend backend;
  private final RedisTime time;
  private final byte[] ttlMillis;

  private RedisFencing(RedisBackend backend, RedisTime time, Duration keyTtl) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.time = time;
    this.ttlMillis = Long.toString(Require.positive(keyTtl.toMillis(), "keyTtl in ms"))
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Tokens by the server's clock, keys kept for {@link #DEFAULT_KEY_TTL}.
   *
   * @param backend where tokens live
   * @return the token source
   */
  public static RedisFencing create(RedisBackend backend) {
    return new RedisFencing(backend, RedisTime.of(TimeSource.SERVER, Clock.system()), DEFAULT_KEY_TTL);
  }

  /**
   * Tokens by the given time source, keys kept for {@code keyTtl} after the last token.
   *
   * @param backend where tokens live
   * @param time whose clock floors the tokens
   * @param keyTtl positive; shorter only matters for memory, since the clock floors tokens after an expiry
   * @return the token source
   */
  public static RedisFencing create(RedisBackend backend, RedisTime time, Duration keyTtl) {
    return new RedisFencing(backend, Objects.requireNonNull(time, "time"), Objects.requireNonNull(keyTtl, "keyTtl"));
  }

  /**
   * The next token of a resource.
   *
   * @param key the resource's token key (built with {@link RedisKeys}, under the resource's hash tag)
   * @return a token greater than every token this key gave before
   * @throws BackendUnavailableException when Redis is unavailable
   * @throws DistkitException when the key holds something else (another type, an unknown format version)
   */
  public FencingToken next(String key) {
    Object reply = backend.eval(NEXT, List.of(key.getBytes(StandardCharsets.UTF_8)), List.of(time.argument(),
        ttlMillis));
    return new FencingToken((Long) reply);
  }

  @Override
  public String toString() {
    return "RedisFencing[" + time + "]";
  }
}
