package io.distkit.core.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisSentinelClient;

/**
 * A real Sentinel deployment on loopback: a master, a replica and three sentinels ({@code redis-server
 * <config> --sentinel}) with a quorum of two, tuned to fail over in a few seconds (the master is considered
 * down after {@value #DOWN_AFTER_MILLIS} ms).
 *
 * <p>Each test that fails it over starts its own ({@link #start()}) and closes it: a failover changes which
 * node is master for good.
 */
public final class RedisSentinel implements AutoCloseable {

  /** The name sentinels know the master by. */
  public static final String MASTER_NAME = "distkit";

  /** How long a master must be silent before sentinels call it down. */
  public static final long DOWN_AFTER_MILLIS = 1000;

  private final RedisServerProcess master;
  private final RedisServerProcess replica;
  private final List<RedisServerProcess> sentinels;

  private RedisSentinel(RedisServerProcess master, RedisServerProcess replica, List<RedisServerProcess> sentinels) {
    this.master = master;
    this.replica = replica;
    this.sentinels = List.copyOf(sentinels);
  }

  /**
   * Starts a master, a replica and three sentinels, and waits until the sentinels know the replica and each
   * other (so that a failover can be authorised).
   *
   * @return a healthy deployment
   */
  public static RedisSentinel start() {
    List<RedisServerProcess> started = new ArrayList<>();
    try {
      // the replica gets its first copy at once, not after Redis 7's default 5 s wait
      RedisServerProcess master = RedisServerProcess.start(List.of("--repl-diskless-sync-delay", "0"));
      started.add(master);
      RedisServerProcess replica = RedisServerProcess.start(List.of("--replicaof", RedisServerProcess.HOST,
          Integer.toString(master.port())));
      started.add(replica);
      List<RedisServerProcess> sentinels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RedisServerProcess sentinel = RedisServerProcess.start(dir -> List.of(writeConfig(dir, master.port()).toString(),
            "--sentinel"), List.of());
        started.add(sentinel);
        sentinels.add(sentinel);
      }
      RedisSentinel deployment = new RedisSentinel(master, replica, sentinels);
      deployment.awaitReady(Duration.ofSeconds(60));
      // a failover before the replica's first sync would promote an empty node and lose everything
      replica.awaitReplicaInSync(Duration.ofSeconds(60));
      return deployment;
    } catch (RuntimeException e) {
      started.forEach(RedisServerProcess::kill);
      throw e;
    }
  }

  private static Path writeConfig(Path dir, int masterPort) {
    Path config = dir.resolve("sentinel.conf"); // sentinels rewrite their configuration: it must be writable
    String text = String.join("\n",
        "sentinel monitor " + MASTER_NAME + " " + RedisServerProcess.HOST + " " + masterPort + " 2",
        "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
        "sentinel failover-timeout " + MASTER_NAME + " 5000",
        "sentinel parallel-syncs " + MASTER_NAME + " 1",
        "");
    try {
      Files.writeString(config, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config;
  }

  private void awaitReady(Duration atMost) {
    await("sentinels to know the replica and each other").atMost(atMost).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> sentinels.stream().allMatch(s -> {
          Map<String, String> state = masterState(s);
          return "1".equals(state.get("num-slaves")) && "2".equals(state.get("num-other-sentinels"));
        }));
  }

  /** What a sentinel says about the master ({@code SENTINEL MASTER}), as field/value pairs. */
  private static Map<String, String> masterState(RedisServerProcess sentinel) {
    try (Jedis jedis = sentinel.connect()) {
      return jedis.sentinelMaster(MASTER_NAME);
    }
  }

  /**
   * The node sentinels currently name as master.
   *
   * @return its address, as the first answering sentinel says
   */
  public HostAndPort currentMaster() {
    for (RedisServerProcess sentinel : sentinels) {
      if (!sentinel.isRunning()) {
        continue;
      }
      try (Jedis jedis = sentinel.connect()) {
        List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
        return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
      } catch (RuntimeException e) {
        // try the next sentinel
      }
    }
    throw new IllegalStateException("no sentinel answers");
  }

  /**
   * Waits until the sentinels have promoted another node.
   *
   * @param previous the master before the failover
   * @param atMost how long to wait
   * @return the new master's address
   */
  public HostAndPort awaitFailover(HostAndPort previous, Duration atMost) {
    await("sentinels to fail over from " + previous).atMost(atMost).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> !currentMaster().equals(previous));
    return currentMaster();
  }

  /**
   * The node started as master (after a failover it may be a replica, or dead).
   *
   * @return the first master
   */
  public RedisServerProcess master() {
    return master;
  }

  /**
   * The node started as replica.
   *
   * @return the replica
   */
  public RedisServerProcess replica() {
    return replica;
  }

  /**
   * The sentinels.
   *
   * @return three sentinel processes
   */
  public List<RedisServerProcess> sentinels() {
    return sentinels;
  }

  /**
   * The sentinels' addresses, as a sentinel client takes them.
   *
   * @return three addresses
   */
  public Set<HostAndPort> sentinelAddresses() {
    return sentinels.stream().map(RedisServerProcess::hostAndPort).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * A new client that follows the master through the sentinels. The caller closes it.
   *
   * @param timeout connect and socket timeout
   * @return the client
   */
  public RedisSentinelClient newClient(Duration timeout) {
    return RedisSentinelClient.builder()
        .masterName(MASTER_NAME)
        .sentinels(sentinelAddresses())
        .clientConfig(RedisServerProcess.clientConfig(timeout))
        .sentinelClientConfig(DefaultJedisClientConfig.builder().timeoutMillis((int) timeout.toMillis()).build())
        .build();
  }

  /** Kills every process. */
  @Override
  public void close() {
    sentinels.forEach(RedisServerProcess::kill);
    replica.kill();
    master.kill();
  }

  @Override
  public String toString() {
    return "Redis Sentinel: master " + master.port() + ", replica " + replica.port() + ", sentinels "
        + sentinels.stream().map(s -> Integer.toString(s.port())).collect(Collectors.joining(","));
  }
}
