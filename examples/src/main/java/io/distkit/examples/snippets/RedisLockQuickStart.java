package io.distkit.examples.snippets;

import io.distkit.core.redis.RedisBackend;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;
import java.time.Duration;
import java.util.Optional;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

class RedisLockQuickStart {
  public static void main(String[] args) throws InterruptedException {
    HostAndPort redis = HostAndPort.from(args.length > 0 ? args[0] : "localhost:6379");
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(250)
        .socketTimeoutMillis(250)
        .build();
    try (RedisClient jedis = RedisClient.builder().hostAndPort(redis).clientConfig(config).build();
        LockService locks = RedisLockService.builder(RedisBackend.create(jedis)).build()) {
      // every JVM on this Redis shares the lock "nightly-report"; waiters are served first come, first served
      Optional<LockHandle> granted =
          locks.tryAcquire("nightly-report", Duration.ofSeconds(5), LockLease.renewed(Duration.ofSeconds(10)));
      if (granted.isPresent()) {
        try (LockHandle lock = granted.get()) {      // renewed in the background until released
          System.out.println("running the report with " + lock.fencingToken());
        }
      } else {
        System.out.println("another JVM is running it");
      }
    }
  }
}
