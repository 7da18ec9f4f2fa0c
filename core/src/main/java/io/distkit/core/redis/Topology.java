package io.distkit.core.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/** What this package needs to know about a client's deployment: cluster or not, and where a slot lives. */
final class Topology {

  private Topology() {}

  static boolean isCluster(UnifiedJedis client) {
    return client instanceof RedisClusterClient || client instanceof JedisCluster;
  }

  /** The hash slot of a key (hash tags respected). */
  static int slot(byte[] key) {
    return JedisClusterCRC16.getSlot(key);
  }

  /** A pooled connection to the master serving {@code slot}; the caller closes it (returning it to the pool). */
  static Connection connectionForSlot(UnifiedJedis client, int slot) {
    if (client instanceof RedisClusterClient cluster) {
      return cluster.getConnectionFromSlot(slot);
    }
    if (client instanceof JedisCluster cluster) {
      return cluster.getConnectionFromSlot(slot);
    }
    throw new IllegalStateException("not a cluster client: " + client.getClass().getName());
  }

  /** Re-reads the slot map, after a redirection or a failover. */
  static void refresh(UnifiedJedis client) {
    if (client instanceof RedisClusterClient cluster) {
      cluster.refreshClusterTopology();
    } else if (client instanceof JedisCluster cluster) {
      cluster.refreshClusterTopology();
    }
  }
}
