package io.distkit.pool.connection;

import io.distkit.pool.object.PooledObjectFactory;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * Makes {@link Jedis} connections to one Redis server for an object pool: each object is one connection (TLS,
 * password, client name, database, timeouts from the {@link JedisClientConfig}), answered a {@code PING} when it
 * was made, validated by a {@code PING} whose socket timeout is the time the pool allows (what is left of the
 * borrower's wait), and closed when destroyed.
 *
 * <pre>{@code
 * ObjectPool<Jedis> redis = LocalObjectPool.builder("redis",
 *         new JedisConnectionFactory(new HostAndPort("localhost", 6379),
 *             DefaultJedisClientConfig.builder().timeoutMillis(500).build()))
 *     .maxSize(16).validateAfterIdle(Duration.ofSeconds(1)).build();
 * try (Lease<Jedis> lease = redis.acquire(Duration.ofMillis(200))) {
 *   lease.get().set("greeting", "hello");
 * }
 * }</pre>
 *
 * <p>A connection that broke while lent (an I/O error) fails its next validation at once, without a round trip;
 * a holder that sees an error can also {@code invalidate()} its lease. Thread-safe (each connection is used by one
 * holder at a time, as the pool lends it).
 */
public final class JedisConnectionFactory implements PooledObjectFactory<Jedis> {

  private final HostAndPort server;
  private final JedisClientConfig config;

  /**
   * Connections to {@code server} with {@code config}.
   *
   * @param server the Redis server
   * @param config timeouts, credentials, TLS, client name, database
   */
  public JedisConnectionFactory(HostAndPort server, JedisClientConfig config) {
    this.server = Objects.requireNonNull(server, "server");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Opens a connection and checks that the server answers.
   *
   * @return the connection
   */
  @Override
  public Jedis create() {
    Jedis jedis = new Jedis(server, config);
    try {
      jedis.ping();
      return jedis;
    } catch (RuntimeException e) {
      jedis.close();
      throw e;
    }
  }

  /**
   * {@link #validate(Jedis, Duration)} within the configured socket timeout.
   *
   * @param jedis a connection of this factory
   * @return whether it answered {@code PING}
   */
  @Override
  public boolean validate(Jedis jedis) {
    return validate(jedis, Duration.ofMillis(config.getSocketTimeoutMillis()));
  }

  /**
   * Sends {@code PING} with a socket timeout of {@code timeout} (at least 1 ms), then restores the configured one.
   *
   * @param jedis a connection of this factory
   * @param timeout how long the answer may take
   * @return whether it answered {@code PONG}; false for a connection that broke, or no answer in time
   */
  @Override
  public boolean validate(Jedis jedis, Duration timeout) {
    if (jedis.isBroken() || !jedis.isConnected()) {
      return false;
    }
    int configured = jedis.getConnection().getSoTimeout();
    try {
      jedis.getConnection().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false; // the pool destroys it
    } finally {
      if (!jedis.isBroken()) {
        jedis.getConnection().setSoTimeout(configured);
      }
    }
  }

  /**
   * Closes the connection.
   *
   * @param jedis a connection of this factory
   */
  @Override
  public void destroy(Jedis jedis) {
    jedis.close();
  }

  @Override
  public String toString() {
    return "JedisConnectionFactory[" + server + "]";
  }
}
