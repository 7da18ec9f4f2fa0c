package io.distkit.benchmarks.redis;

import io.distkit.core.testing.RedisBinary;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis one benchmark trial runs against: by default a {@code redis-server} of its own, started with core's
 * test harness ({@link RedisServers#startStandalone()}: {@code $DISTKIT_REDIS_SERVER}, else the {@code PATH},
 * else the binary inside embedded-redis) and killed when the trial ends. Only when the system property
 * {@value #URI_PROPERTY} names one does a benchmark use a Redis it did not start; it then deletes the keys it
 * wrote (and only those) when the trial ends.
 *
 * <p>From when it opens until the next trial opens another, it is the {@linkplain #current() current} Redis of
 * this JVM, which
 * {@link io.distkit.benchmarks.profile.RedisCommandsProfiler} reads its {@link #counters()}. Commands
 * are counted on a server of our own only: on a given server other clients' traffic would be counted too.
 */
public final class BenchmarkRedis implements AutoCloseable {

  /** The system property that points the benchmarks at a Redis they did not start, e.g. {@code redis://host:6379}. */
  public static final String URI_PROPERTY = "distkit.benchmarks.redisUri";

  /** Where core's harness puts the servers' directories, unless the property is already set. */
  private static final String SERVER_DIR_PROPERTY = "distkit.redis.dir";

  private static volatile @Nullable BenchmarkRedis current;

  private final @Nullable RedisServerProcess server;
  private final URI uri;
  private final RedisClient client;
  private final String keyTag;
  private final @Nullable Jedis admin;
  private volatile @Nullable ServerCounters countersAtClose;
  private volatile boolean open = true;

  private BenchmarkRedis(@Nullable RedisServerProcess server, URI uri, String keyTag) {
    this.server = server;
    this.uri = uri;
    this.keyTag = keyTag;
    this.client = server != null ? server.newClient() : RedisClient.create(uri);
    this.admin = server != null ? server.connect() : null;
  }

  /**
   * Starts a server of the trial's own, or connects to the one named by {@value #URI_PROPERTY}.
   *
   * @param keyTag a string every key the trial writes contains, so a given server can be cleaned up
   * @return the open Redis, now {@link #current()}
   */
  public static BenchmarkRedis open(String keyTag) {
    Objects.requireNonNull(keyTag, "keyTag");
    String given = System.getProperty(URI_PROPERTY, "");
    BenchmarkRedis redis;
    if (given.isBlank()) {
      // the jar may run from any directory: unless told otherwise, server folders and the extracted binary go
      // under $TMPDIR/distkit-benchmarks, not ./target of wherever it runs (the README says so)
      Path home = Path.of(System.getProperty("java.io.tmpdir"), "distkit-benchmarks");
      if (System.getProperty(SERVER_DIR_PROPERTY) == null) {
        System.setProperty(SERVER_DIR_PROPERTY, home.resolve("redis-servers").toString());
      }
      if (System.getProperty(RedisBinary.BINARY_DIR_PROPERTY) == null) {
        System.setProperty(RedisBinary.BINARY_DIR_PROPERTY, home.resolve("redis-binary").toString());
      }
      RedisServerProcess server = RedisServers.startStandalone();
      redis = new BenchmarkRedis(server, URI.create(server.uri()), keyTag);
    } else {
      redis = new BenchmarkRedis(null, URI.create(given), keyTag);
    }
    current = redis;
    return redis;
  }

  /**
   * The Redis the latest trial of this JVM opened, until the next one opens another (it may be closed: see
   * {@link #counters()}).
   *
   * @return the Redis, or null before any trial opened one
   */
  public static @Nullable BenchmarkRedis current() {
    return current;
  }

  /**
   * A pooled Jedis client, shared by the trial's threads; closed with this.
   *
   * @return the client
   */
  public RedisClient client() {
    return client;
  }

  /**
   * Another pooled Jedis client of the same Redis, configured like {@link #client()}: what another JVM of a fleet
   * would have (its own connections, its own pub/sub connection for distkit's services).
   *
   * @return a new client, which the caller closes (before this closes)
   */
  public RedisClient newClient() {
    return server != null ? server.newClient() : RedisClient.create(uri);
  }

  /**
   * The server's address, for clients other than Jedis.
   *
   * @return e.g. {@code redis://127.0.0.1:23456}
   */
  public URI uri() {
    return uri;
  }

  /**
   * Whether it is still open.
   *
   * @return false once {@link #close()} began
   */
  public boolean isOpen() {
    return open;
  }

  /**
   * Whether commands can be counted: only on a server of our own.
   *
   * @return true when this trial started the server
   */
  public boolean countsCommands() {
    return server != null;
  }

  /**
   * The server's counters: {@code INFO stats} over a connection of its own, opened with the server (so its
   * handshake is not counted later), and {@code INFO commandstats} over a raw connection (which adds nothing
   * but the {@code INFO} itself). Once closed, the counters as they were when it closed: JMH tears a trial down
   * inside its last iteration, before profilers read their figures. Not thread-safe: one profiler calls it.
   *
   * @return the counters
   * @throws IllegalStateException on a server we did not start
   */
  public ServerCounters counters() {
    if (server == null || admin == null) {
      throw new IllegalStateException("commands are counted only on a redis-server the benchmark started");
    }
    ServerCounters closed = countersAtClose;
    if (closed != null) {
      return closed;
    }
    long reads = ServerCounters.requestsRead(admin.info("stats"));
    return new ServerCounters(reads, server.commandStats());
  }

  /** Closes the client, then kills the server it started (its last counters kept) or cleans up the given one. */
  @Override
  public void close() {
    open = false;
    try {
      if (server == null) {
        deleteTaggedKeys();
      }
      client.close();
    } finally {
      if (server != null && admin != null) {
        countersAtClose = counters();
        admin.close();
        server.close();
      }
    }
  }

  /** On a server we did not start, removes what the trial wrote: the keys containing its tag. */
  private void deleteTaggedKeys() {
    ScanParams match = new ScanParams().match("*" + keyTag + "*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = client.scan(cursor, match);
      List<String> keys = page.getResult();
      if (!keys.isEmpty()) {
        client.unlink(keys.toArray(String[]::new));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
  }

  @Override
  public String toString() {
    return server != null ? server.toString() : "a given Redis";
  }
}
