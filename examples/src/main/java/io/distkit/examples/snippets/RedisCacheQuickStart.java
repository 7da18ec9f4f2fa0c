package io.distkit.examples.snippets;

import io.distkit.cache.Cache;
import io.distkit.cache.redis.RedisCache;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

class RedisCacheQuickStart {
  public static void main(String[] args) {
    HostAndPort redis = HostAndPort.from(args.length > 0 ? args[0] : "localhost:6379");
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(250)
        .socketTimeoutMillis(250)
        .build();
    try (RedisClient jedis = RedisClient.builder().hostAndPort(redis).clientConfig(config).build();
        Cache<String, String> pages = RedisCache.<String, String>builder("pages", RedisBackend.create(jedis),
                Codec.utf8().versioned(1))       // values carry a format version; never Java serialization
            .defaultTtl(Duration.ofMinutes(10))
            .build()) {
      String page = pages.get("/home", path -> "<h1>rendered once for every JVM</h1>").orElseThrow();
      System.out.println(page);
      pages.invalidateAll();                      // one command, heard by every JVM's cache
      System.out.println("after invalidateAll: " + pages.getIfPresent("/home").isPresent());
    }
  }
}
