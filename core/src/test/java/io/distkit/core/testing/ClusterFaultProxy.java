package io.distkit.core.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.RedisClusterClient;

/**
 * A {@link FaultProxy} in front of every node of a {@link RedisCluster}, and clients that stay behind them.
 *
 * <p>A cluster client learns node addresses from the cluster itself ({@code CLUSTER SLOTS}, {@code MOVED} and
 * {@code ASK} redirections), which name the real ports. The clients made here carry a Jedis
 * {@link HostAndPortMapper} that turns each real address into its proxy's, so every connection, including
 * those that follow a redirection or a failover, goes through a proxy, and a fault on one node's proxy
 * (latency, black hole, cut) hits exactly that node's traffic.
 */
public final class ClusterFaultProxy implements AutoCloseable {

  private final RedisCluster cluster;
  private final Map<HostAndPort, FaultProxy> proxies = new LinkedHashMap<>();

  private ClusterFaultProxy(RedisCluster cluster) {
    this.cluster = cluster;
    try {
      for (RedisServerProcess node : cluster.nodes()) {
        proxies.put(node.hostAndPort(), FaultProxy.start(node.hostAndPort()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts a proxy per node.
   *
   * @param cluster the cluster to stand in front of
   * @return proxies with no faults
   */
  public static ClusterFaultProxy start(RedisCluster cluster) {
    return new ClusterFaultProxy(cluster);
  }

  /**
   * The proxy in front of a node.
   *
   * @param node one of the cluster's nodes
   * @return its proxy
   */
  public FaultProxy proxyOf(RedisServerProcess node) {
    FaultProxy proxy = proxies.get(node.hostAndPort());
    if (proxy == null) {
      throw new IllegalArgumentException(node + " is not a node of " + cluster);
    }
    return proxy;
  }

  /**
   * Maps real node addresses to their proxies' (and leaves anything else alone).
   *
   * @return the mapper cluster clients need
   */
  public HostAndPortMapper mapper() {
    return address -> {
      FaultProxy proxy = proxies.get(new HostAndPort(RedisServerProcess.HOST, address.getPort()));
      return proxy == null ? address : proxy.hostAndPort();
    };
  }

  /**
   * A new cluster client that reaches every node through its proxy. The caller closes it.
   *
   * @param timeout connect and socket timeout
   * @return the client
   */
  public RedisClusterClient newClient(Duration timeout) {
    Set<HostAndPort> seeds = proxies.values().stream().map(FaultProxy::hostAndPort)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    return RedisClusterClient.builder()
        .nodes(seeds)
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) timeout.toMillis())
            .socketTimeoutMillis((int) timeout.toMillis())
            .hostAndPortMapper(mapper())
            .build())
        .maxAttempts(3)
        .maxTotalRetriesDuration(timeout.multipliedBy(3))
        .build();
  }

  /** Removes every fault from every proxy. */
  public void healAll() {
    proxies.values().forEach(FaultProxy::heal);
  }

  /** Stops every proxy. */
  @Override
  public void close() {
    proxies.values().forEach(FaultProxy::close);
  }

  @Override
  public String toString() {
    return "ClusterFaultProxy[" + proxies.size() + " proxies in front of " + cluster + "]";
  }
}
