package app;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.hashing.Membership;
import io.distkit.hashing.Node;
import io.distkit.hashing.redis.RedisMembership;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import java.util.UUID;
import redis.clients.jedis.RedisClient;

public final class RedisMain {
  public static void main(String[] args) {
    try (RedisClient jedis = RedisClient.create(args[0])) {
      RateLimiter limiter = RedisRateLimiter.builder(jedis)
          .name("modular-" + UUID.randomUUID())
          .limit(RateLimit.of(Algorithm.GCRA, 2, Duration.ofMinutes(1)))
          .build();
      StringBuilder seen = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        seen.append(limiter.tryAcquire("user-42").allowed() ? 'Y' : 'n');
      }
      System.out.println("redis ratelimit " + seen + " from module " + RedisRateLimiter.class.getModule().getName());
      Codec<Node> names = Codec.utf8().as(Node::of, Node::nodeId);
      String group = "modular-" + UUID.randomUUID();
      try (Membership<Node> members = RedisMembership.builder(RedisBackend.create(jedis), group, names)
          .self(Node.of("me"))
          .build()) {
        System.out.println("redis membership " + members.locator().locate("user-42").nodeId() + " from module "
            + RedisMembership.class.getModule().getName());
      }
    }
  }
}
