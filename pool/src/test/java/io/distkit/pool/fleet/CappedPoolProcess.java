package io.distkit.pool.fleet;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.ChildJvm;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PooledObjectFactory;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * A JVM whose pool holds objects under a fleet cap on Redis. Arguments: {@code host port capName permits ttlMillis
 * objects}: borrows that many objects (each under a permit with a renewed lease of that TTL), prints
 * {@code holding}, and keeps them until killed.
 */
public final class CappedPoolProcess {

  private CappedPoolProcess() {}

  public static void main(String[] args) throws InterruptedException {
    ChildJvm.exitWhenParentExits();
    RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort(args[0], Integer.parseInt(args[1])))
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1000).build()).build();
    LockService locks = RedisLockService.builder(RedisBackend.create(client)).build();
    FleetCap cap = FleetCap.of(locks.semaphore(args[2], Integer.parseInt(args[3])))
        .withLease(Duration.ofMillis(Long.parseLong(args[4])));
    PooledObjectFactory<Object> objects = Object::new;
    ObjectPool<Object> pool = LocalObjectPool.builder("child", cap.limit(objects)).build();
    int count = Integer.parseInt(args[5]);
    for (int i = 0; i < count; i++) {
      pool.acquire(Duration.ofSeconds(30)); // kept, never given back
    }
    System.out.println("holding");
    Thread.sleep(Long.MAX_VALUE);
  }
}
