package io.distkit.core.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/*
 * CLUSTER SLOTS is deprecated in favour of CLUSTER SHARDS, which Redis 6.2 (the embedded binary) lacks.
 */
/**
 * A real Redis Cluster of {@code redis-server} processes on loopback: masters that split the 16384 slots
 * evenly, and optionally replicas for failover tests.
 *
 * <p>Formed the way {@code redis-cli --cluster create} does it, but from Java (the embedded binary ships no
 * redis-cli): assign slots, {@code CLUSTER MEET}, {@code CLUSTER REPLICATE}, then wait until every node
 * reports {@code cluster_state:ok} and agrees on the slot map.
 */
@SuppressWarnings("deprecation")
public final class RedisCluster implements AutoCloseable {

  /** Slots in every Redis Cluster. */
  public static final int SLOTS = 16384;

  /** Short, so failover tests finish quickly; a node is considered failed after this. */
  public static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);

  private final List<RedisServerProcess> masters;
  private final List<RedisServerProcess> replicas;

  private RedisCluster(List<RedisServerProcess> masters, List<RedisServerProcess> replicas) {
    this.masters = List.copyOf(masters);
    this.replicas = List.copyOf(replicas);
  }

  static RedisCluster start(int masterCount, int replicasPerMaster) {
    if (masterCount < 1 || replicasPerMaster < 0) {
      throw new IllegalArgumentException("masters (" + masterCount + ") must be >= 1 and replicas ("
          + replicasPerMaster + ") >= 0");
    }
    List<String> clusterArgs = List.of(
        "--cluster-enabled", "yes",
        "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()),
        // a replica may be promoted however long ago it last heard from its master
        "--cluster-replica-validity-factor", "0",
        // replicas get their first copy at once, not after Redis 7's default 5 s wait
        "--repl-diskless-sync-delay", "0");
    List<RedisServerProcess> masters = new ArrayList<>();
    List<RedisServerProcess> replicas = new ArrayList<>();
    try {
      for (int i = 0; i < masterCount; i++) {
        masters.add(RedisServerProcess.start(clusterArgs));
      }
      for (int i = 0; i < masterCount * replicasPerMaster; i++) {
        replicas.add(RedisServerProcess.start(clusterArgs));
      }
      RedisCluster cluster = new RedisCluster(masters, replicas);
      cluster.form(replicasPerMaster);
      return cluster;
    } catch (RuntimeException e) {
      masters.forEach(RedisServerProcess::kill);
      replicas.forEach(RedisServerProcess::kill);
      throw e;
    }
  }

  private void form(int replicasPerMaster) {
    int epoch = 1;
    for (int i = 0; i < masters.size(); i++) {
      int from = i * SLOTS / masters.size();
      int to = (i + 1) * SLOTS / masters.size();
      try (Jedis node = masters.get(i).connect()) {
        node.clusterAddSlots(IntStream.range(from, to).toArray());
        node.clusterSetConfigEpoch(epoch++);
      }
    }
    RedisServerProcess first = masters.get(0);
    try (Jedis node = first.connect()) {
      for (RedisServerProcess other : nodes()) {
        if (other != first) {
          node.clusterMeet(RedisServerProcess.HOST, other.port());
        }
      }
    }
    for (int i = 0; i < replicas.size(); i++) {
      RedisServerProcess master = masters.get(i / replicasPerMaster);
      String masterId;
      try (Jedis node = master.connect()) {
        masterId = node.clusterMyId();
      }
      try (Jedis node = replicas.get(i).connect()) {
        await("replica on port " + replicas.get(i).port() + " to learn of its master")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> node.clusterNodes().contains(masterId));
        node.clusterReplicate(masterId);
      }
    }
    awaitHealthy(Duration.ofSeconds(60));
    // a failover before a replica's first sync would promote an empty node and lose the slot's data
    replicas.forEach(replica -> replica.awaitReplicaInSync(Duration.ofSeconds(60)));
  }

  /**
   * Waits until every running node says {@code cluster_state:ok}, every slot is served, and all running
   * nodes agree on which node serves it.
   *
   * @param atMost how long to wait
   */
  public void awaitHealthy(Duration atMost) {
    await("cluster to be healthy").atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(this::isHealthy);
  }

  private boolean isHealthy() {
    Set<Integer> runningPorts = nodes().stream().filter(RedisServerProcess::isRunning)
        .map(RedisServerProcess::port).collect(Collectors.toSet());
    Set<String> slotMaps = new LinkedHashSet<>();
    for (RedisServerProcess server : nodes()) {
      if (!server.isRunning()) {
        continue;
      }
      try (Jedis node = server.connect()) {
        String info = node.clusterInfo();
        if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + SLOTS)) {
          return false;
        }
        if (!runningPorts.containsAll(ownerPorts(node))) {
          return false; // a dead master still owns slots: the cluster has not noticed yet
        }
        slotMaps.add(slotOwners(node));
      }
    }
    return slotMaps.size() == 1;
  }

  /** "from-to:port,..." for every slot range, as this node sees it. */
  @SuppressWarnings("unchecked")
  private static String slotOwners(Jedis node) {
    List<Object> ranges = node.clusterSlots();
    return ranges.stream()
        .map(r -> (List<Object>) r)
        .map(r -> r.get(0) + "-" + r.get(1) + ":" + ((List<Object>) r.get(2)).get(1))
        .sorted()
        .collect(Collectors.joining(","));
  }

  @SuppressWarnings("unchecked")
  private static Set<Integer> ownerPorts(Jedis node) {
    return node.clusterSlots().stream()
        .map(r -> ((Long) ((List<Object>) ((List<Object>) r).get(2)).get(1)).intValue())
        .collect(Collectors.toSet());
  }

  /**
   * The master nodes as started (after a failover, one of them may be a replica or dead).
   *
   * @return the masters, in slot order
   */
  public List<RedisServerProcess> masters() {
    return masters;
  }

  /**
   * The replica nodes as started.
   *
   * @return the replicas, {@code replicasPerMaster} per master in master order
   */
  public List<RedisServerProcess> replicas() {
    return replicas;
  }

  /**
   * Every node.
   *
   * @return masters, then replicas
   */
  public List<RedisServerProcess> nodes() {
    List<RedisServerProcess> all = new ArrayList<>(masters);
    all.addAll(replicas);
    return all;
  }

  /**
   * Seed addresses for a cluster client.
   *
   * @return every node's address
   */
  public Set<HostAndPort> seeds() {
    return nodes().stream().map(RedisServerProcess::hostAndPort).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * The node that currently serves a key's slot, as the first running node sees it.
   *
   * @param key a key (hash tags respected)
   * @return the master serving it
   */
  @SuppressWarnings("unchecked")
  public RedisServerProcess masterFor(String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    Map<Integer, RedisServerProcess> byPort = nodes().stream()
        .collect(Collectors.toMap(RedisServerProcess::port, s -> s));
    RedisServerProcess anyRunning = nodes().stream().filter(RedisServerProcess::isRunning).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node of the cluster is running"));
    try (Jedis node = anyRunning.connect()) {
      for (Object range : node.clusterSlots()) {
        List<Object> r = (List<Object>) range;
        if (slot >= (Long) r.get(0) && slot <= (Long) r.get(1)) {
          int port = ((Long) ((List<Object>) r.get(2)).get(1)).intValue();
          return byPort.get(port);
        }
      }
    }
    throw new IllegalStateException("slot " + slot + " of key '" + key + "' is not served");
  }

  /**
   * A new cluster client with {@link RedisServerProcess#DEFAULT_CLIENT_TIMEOUT}. The caller closes it.
   *
   * @return the client
   */
  public RedisClusterClient newClient() {
    return newClient(RedisServerProcess.DEFAULT_CLIENT_TIMEOUT);
  }

  /**
   * A new cluster client. The caller closes it.
   *
   * @param timeout connect and socket timeout
   * @return the client
   */
  public RedisClusterClient newClient(Duration timeout) {
    return newClient(timeout, null);
  }

  /**
   * A new cluster client whose every connection carries a client name, so that a test can find its connections
   * with {@link #pubSubConnections(String)}. The caller closes it.
   *
   * @param clientName a name without spaces
   * @return the client
   */
  public RedisClusterClient newNamedClient(String clientName) {
    return newClient(RedisServerProcess.DEFAULT_CLIENT_TIMEOUT, clientName);
  }

  private RedisClusterClient newClient(Duration timeout, @Nullable String clientName) {
    return RedisClusterClient.builder()
        .nodes(seeds())
        .clientConfig(RedisServerProcess.clientConfig(timeout, clientName))
        .maxAttempts(3)
        .maxTotalRetriesDuration(timeout.multipliedBy(3))
        .build();
  }

  /**
   * How many pub/sub connections of one client name the running nodes hold right now, summed.
   *
   * @param clientName the name given to {@link #newNamedClient(String)}
   * @return the number of such connections
   */
  public long pubSubConnections(String clientName) {
    return nodes().stream().filter(RedisServerProcess::isRunning)
        .mapToLong(node -> node.pubSubConnections(clientName)).sum();
  }

  /**
   * Command counters summed over every running node.
   *
   * @return calls per command
   */
  public CommandStats commandStats() {
    return nodes().stream().filter(RedisServerProcess::isRunning).map(RedisServerProcess::commandStats)
        .reduce(new CommandStats(Map.of()), CommandStats::plus);
  }

  /** Kills every node. */
  @Override
  public void close() {
    nodes().forEach(RedisServerProcess::kill);
  }

  @Override
  public String toString() {
    return "Redis Cluster of " + masters.size() + " masters and " + replicas.size() + " replicas on ports "
        + nodes().stream().map(s -> Integer.toString(s.port())).collect(Collectors.joining(","));
  }
}
