package io.distkit.core.redis;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The one place distkit talks to Redis: runs scripts and commands through a {@link BackendGuard} and turns
 * every Jedis exception into a {@link DistkitException}.
 *
 * <p>Works with any {@link UnifiedJedis}: {@code RedisClient} (standalone), {@code RedisClusterClient} and
 * sentinel clients. The client stays the caller's: its timeouts, TLS, credentials and pool settings are used
 * as they are, and closing the client is the caller's job. Keep the client's socket and connect timeouts
 * short (hundreds of milliseconds): they bound how long the first call of an outage can take; the guard makes
 * the calls after it fail fast.
 *
 * <p><b>Broken connections are not outages.</b> When a pooled connection turns out to have been closed
 * under the client (the server's idle {@code timeout}, {@code CLIENT KILL}, a restart, a proxy that dropped
 * it), the call fails at once rather than timing out; the backend then closes the pool's idle connections and
 * retries the call once on a fresh one, before the guard hears of any failure. Only when that retry fails too,
 * or the first failure was a timeout or a refused connection, is Redis unavailable.
 *
 * <p><b>Errors.</b> A client the caller already closed throws {@link DistkitException} naming the misuse (not
 * {@link BackendUnavailableException}: nothing will bring it back). A Redis that refuses writes because it is
 * out of memory ({@code OOM} under {@code maxmemory} with {@code noeviction}) is unavailable, so failure
 * policies apply. A key of the wrong type ({@code WRONGTYPE}) is named in the message.
 *
 * <p>Scripts run by {@code EVALSHA}. When Redis answers {@code NOSCRIPT} (after {@code SCRIPT FLUSH}, a
 * restart or a failover to a replica that never saw the script), the script is loaded with
 * {@code SCRIPT LOAD} and the call is retried once. (On Redis Cluster, Jedis sends {@code SCRIPT LOAD} to
 * every master, so one reload serves every slot.)
 *
 * <p>Thread-safe.
 */
public final class RedisBackend {

  private static final Logger log = LoggerFactory.getLogger(RedisBackend.class);

  private final UnifiedJedis jedis;
  private final BackendGuard guard;

  private RedisBackend(UnifiedJedis jedis, BackendGuard guard) {
    this.jedis = Objects.requireNonNull(jedis, "jedis");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /**
   * A backend with a guard of its own, with default settings.
   *
   * @param jedis the caller's client
   * @return the backend
   * @throws DistkitException when the Jedis on the class path is older than 8.0, saying which to use
   */
  public static RedisBackend create(UnifiedJedis jedis) {
    JedisRequirement.check();
    return new RedisBackend(jedis, BackendGuard.create());
  }

  /**
   * A backend that shares a guard, typically with the other primitives that use the same client.
   *
   * @param jedis the caller's client
   * @param guard remembers outages of that client's Redis
   * @return the backend
   * @throws DistkitException when the Jedis on the class path is older than 8.0, saying which to use
   */
  public static RedisBackend create(UnifiedJedis jedis, BackendGuard guard) {
    JedisRequirement.check();
    return new RedisBackend(jedis, guard);
  }

  /**
   * Runs a script in one round trip ({@code EVALSHA}), loading it first if Redis does not know it.
   *
   * <p>On Redis Cluster every key must hash to the same slot (give them one hash tag, see
   * {@link RedisKeys}).
   *
   * @param script the script
   * @param keys the script's {@code KEYS}
   * @param args the script's {@code ARGV}
   * @return the script's reply as Jedis decodes it: {@code Long} for integers, {@code byte[]} for bulk
   *     strings, {@code List<Object>} for arrays, {@code null} for nil
   * @throws BackendUnavailableException when Redis is down, unreachable or too slow, or the guard remembers
   *     such an outage
   * @throws DistkitException when Redis answers with an error (a bug in the script, a key of the wrong type,
   *     named in the message), or the client was closed
   */
  public Object eval(RedisScript script, List<byte[]> keys, List<byte[]> args) {
    return guard.call(() -> call(() -> evalLoadingOnce(script, keys, args), "Script " + script.name(), keys));
  }

  /**
   * Runs an operation, once more on a fresh connection if its pooled connection turned out broken, and maps
   * what Jedis throws. A connection the server closed (an idle {@code timeout}, {@code CLIENT KILL}, a proxy
   * that dropped it) fails at once with an end of stream or a reset, not a timeout: one such failure says
   * nothing about Redis, and counting it as an outage would fail every call for a retry interval. A timeout
   * or a refused connection is not retried: those are what outages look like, and retrying would double
   * their cost.
   */
  private <T> T call(Supplier<T> operation, String what, List<byte[]> keys) {
    try {
      try {
        return operation.get();
      } catch (JedisConnectionException e) {
        if (!JedisErrors.isBrokenConnection(e)) {
          throw e;
        }
        log.debug("{} found its connection broken ({}); retrying once on a fresh connection", what, e.getMessage());
        dropIdleConnections();
        return operation.get();
      }
    } catch (JedisException e) {
      throw JedisErrors.translate(e, what, keys);
    }
  }

  /**
   * Closes the pool's idle connections, so that the retry gets a new one: when one pooled connection was
   * closed by the server, its idle siblings usually were too (a server restart, an idle timeout, a kill of
   * every client). Connections in use stay; they retry on their own if they are broken too.
   */
  private void dropIdleConnections() {
    try {
      if (jedis instanceof RedisClient standalone) {
        standalone.getPool().clear();
      } else if (jedis instanceof RedisClusterClient cluster) {
        cluster.getClusterNodes().values().forEach(ConnectionPool::clear);
      }
    } catch (RuntimeException e) {
      log.debug("Could not drop the pool's idle connections: {}", e.toString());
    }
  }

  private Object evalLoadingOnce(RedisScript script, List<byte[]> keys, List<byte[]> args) {
    try {
      return jedis.evalsha(script.sha1Bytes(), keys, args);
    } catch (JedisNoScriptException e) {
      log.debug("Redis does not know script {} ({}); loading it", script.name(), script.sha1());
      load(script, keys);
      return jedis.evalsha(script.sha1Bytes(), keys, args);
    }
  }

  private void load(RedisScript script, List<byte[]> keys) {
    if (keys.isEmpty()) {
      jedis.scriptLoad(script.source());
    } else {
      // the sample key routes SCRIPT LOAD on clients that need one; cluster clients broadcast it
      jedis.scriptLoad(script.sourceBytes(), keys.get(0));
    }
  }

  /**
   * Runs plain commands through the guard and the exception mapping. For anything a script can not do
   * (pub/sub, {@code INFO}); prefer one script per operation otherwise.
   *
   * @param command calls Jedis; must not hold on to the client after returning
   * @param <T> the result type
   * @return what {@code command} returned
   * @throws BackendUnavailableException when Redis is down, unreachable or too slow, or the guard remembers
   *     such an outage
   * @throws DistkitException when Redis answers with an error, or the client was closed
   */
  public <T> T execute(Function<? super UnifiedJedis, T> command) {
    return guard.call(() -> call(() -> command.apply(jedis), "Redis command", List.of()));
  }

  /**
   * The guard that remembers this backend's outages.
   *
   * @return the guard
   */
  public BackendGuard guard() {
    return guard;
  }

  /**
   * The client, for this package's session pieces (pipelines, pub/sub) that hold a connection longer than one
   * call and map errors themselves; added for them, not for primitives.
   */
  UnifiedJedis client() {
    return jedis;
  }

  @Override
  public String toString() {
    return "RedisBackend[" + guard + "]";
  }
}
