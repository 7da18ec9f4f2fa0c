package io.distkit.examples.snippets;

import io.distkit.core.redis.RedisBackend;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;
import io.distkit.pool.connection.JedisConnectionFactory;
import io.distkit.pool.fleet.FleetCap;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

class FleetCapQuickStart {
  public static void main(String[] args) throws InterruptedException {
    HostAndPort redis = HostAndPort.from(args.length > 0 ? args[0] : "localhost:6379");
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().timeoutMillis(500).build();
    try (RedisClient jedis = RedisClient.builder().hostAndPort(redis).clientConfig(config).build();
        LockService locks = RedisLockService.builder(RedisBackend.create(jedis)).build()) {
      // at most 50 pooled connections in the whole fleet, whatever the number of JVMs
      FleetCap cap = FleetCap.of(locks.semaphore("redis-connections", 50));
      try (ObjectPool<Jedis> pool = LocalObjectPool.builder("redis",
              cap.limit(new JedisConnectionFactory(redis, config)))
          .maxSize(8)                                  // and at most 8 in this JVM
          .build()) {
        try (Lease<Jedis> lease = pool.acquire(Duration.ofSeconds(2))) {
          lease.get().set("greeting", "hello");         // borrowing cost no round trip to the cap
          System.out.println(lease.get().get("greeting"));
        }
      }
    }
  }
}
