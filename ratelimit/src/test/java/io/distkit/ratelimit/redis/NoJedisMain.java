package io.distkit.ratelimit.redis;

import redis.clients.jedis.UnifiedJedis;

/**
 * Run by {@link JedisMissingTest} in a JVM whose class path lacks Jedis: an application compiled against Jedis
 * but deployed without it (an optional dependency dropped, a provided scope) reaches distkit's Redis builder.
 */
public final class NoJedisMain {

  private NoJedisMain() {}

  /**
   * Builds a Redis limiter and prints what it threw.
   *
   * @param args none
   */
  public static void main(String[] args) {
    try {
      RedisRateLimiter.builder((UnifiedJedis) null);
      System.out.println("no exception");
    } catch (Throwable t) {
      System.out.println(t.getClass().getName() + ": " + t.getMessage());
    }
  }
}
