package io.distkit.core.testing;

import io.distkit.core.redis.RedisBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where one run of a {@link ContractTest} happens: in process ({@link Kind#LOCAL}), on the shared standalone
 * Redis, or on the shared Redis Cluster. A test asks it for what it needs to build the primitive under test;
 * clients it creates are closed after the test.
 *
 * <pre>{@code
 * @ContractTest
 * void admitsUpToTheLimit(Deployment deployment) {
 *   RateLimiter limiter = deployment.isLocal()
 *       ? LocalRateLimiter.builder().limit(LIMIT).build()
 *       : RedisRateLimiter.builder(deployment.backend()).limit(LIMIT).build();
 *   ...
 * }
 * }</pre>
 */
public final class Deployment implements AutoCloseable {

  /** The three places a primitive can live. */
  public enum Kind {
    /** In this JVM, no Redis. */
    LOCAL,
    /** The shared standalone Redis ({@link RedisServers#standalone()}). */
    STANDALONE,
    /** The shared 3-master Redis Cluster ({@link RedisServers#cluster()}). */
    CLUSTER;

    /**
     * The name shown in test reports.
     *
     * @return e.g. {@code "standalone"}
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private @Nullable RedisBackend backend;

  Deployment(Kind kind) {
    this.kind = kind;
  }

  /**
   * Which deployment this is.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Whether this run is in process.
   *
   * @return true for {@link Kind#LOCAL}
   */
  public boolean isLocal() {
    return kind == Kind.LOCAL;
  }

  /**
   * Whether this run is on Redis Cluster.
   *
   * @return true for {@link Kind#CLUSTER}
   */
  public boolean isCluster() {
    return kind == Kind.CLUSTER;
  }

  /**
   * A new client of this deployment's Redis, closed after the test.
   *
   * @return a {@code RedisClient} or {@code RedisClusterClient}
   * @throws IllegalStateException for {@link Kind#LOCAL}
   */
  public UnifiedJedis newClient() {
    UnifiedJedis client = switch (kind) {
      case STANDALONE -> RedisServers.standalone().newClient();
      case CLUSTER -> RedisServers.cluster().newClient();
      case LOCAL -> throw new IllegalStateException("a local deployment has no Redis");
    };
    toClose.add(client);
    return client;
  }

  /**
   * A new client whose every connection carries {@code clientName}, closed after the test: with
   * {@link #pubSubConnections(String)}, a test counts the pub/sub connections of exactly this client.
   *
   * @param clientName a name without spaces, e.g. from {@link TestKeys#unique(String)}
   * @return a {@code RedisClient} or {@code RedisClusterClient}
   * @throws IllegalStateException for {@link Kind#LOCAL}
   */
  public UnifiedJedis newNamedClient(String clientName) {
    UnifiedJedis client = switch (kind) {
      case STANDALONE -> RedisServers.standalone().newNamedClient(clientName);
      case CLUSTER -> RedisServers.cluster().newNamedClient(clientName);
      case LOCAL -> throw new IllegalStateException("a local deployment has no Redis");
    };
    toClose.add(client);
    return client;
  }

  /**
   * How many pub/sub connections of the client named {@code clientName} this deployment's Redis holds right now
   * ({@code CLIENT LIST TYPE pubsub} on every running node).
   *
   * @param clientName the name given to {@link #newNamedClient(String)}
   * @return the number of such connections
   * @throws IllegalStateException for {@link Kind#LOCAL}
   */
  public long pubSubConnections(String clientName) {
    return switch (kind) {
      case STANDALONE -> RedisServers.standalone().pubSubConnections(clientName);
      case CLUSTER -> RedisServers.cluster().pubSubConnections(clientName);
      case LOCAL -> throw new IllegalStateException("a local deployment has no Redis");
    };
  }

  /**
   * This run's backend: one client and one guard for the whole test, created on first use.
   *
   * @return the backend
   * @throws IllegalStateException for {@link Kind#LOCAL}
   */
  public RedisBackend backend() {
    RedisBackend result = backend;
    if (result == null) {
      result = RedisBackend.create(newClient());
      backend = result;
    }
    return result;
  }

  /**
   * Command counters of every node of this deployment's Redis. Shared servers: other tests running at the
   * same time would show up (surefire runs test classes one at a time here).
   *
   * @return the counters
   * @throws IllegalStateException for {@link Kind#LOCAL}
   */
  public CommandStats commandStats() {
    return switch (kind) {
      case STANDALONE -> RedisServers.standalone().commandStats();
      case CLUSTER -> RedisServers.cluster().commandStats();
      case LOCAL -> throw new IllegalStateException("a local deployment has no Redis");
    };
  }

  /** Closes the clients this run created. */
  @Override
  public void close() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    toClose.clear();
  }

  @Override
  public String toString() {
    return kind.label();
  }
}
