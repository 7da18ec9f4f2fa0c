/**
 * distkit-pool: object and connection pools ({@link io.distkit.pool.object.ObjectPool}, in this JVM in
 * {@code io.distkit.pool.object.local}) and fleet-wide caps on the objects of a resource
 * ({@code io.distkit.pool.fleet}, on the {@code locks} module's semaphore), a ready factory of Jedis connections
 * ({@code io.distkit.pool.connection}) and a load balancer over pooled endpoints ({@code io.distkit.pool.balance},
 * consistent hashing from the {@code hashing} module) and job queues with workers ({@code io.distkit.pool.jobs}: in this JVM, or on Redis at least once across JVMs;
 * groups of jobs rate limited by the {@code ratelimit} module's limiters).
 *
 * <p>Jedis is optional ({@code requires static}).
 */
@SuppressWarnings({
    "exports", // Jedis types reach the API only through io.distkit.core's RedisBackend
    "requires-automatic" // Jedis 8 is an automatic module (Automatic-Module-Name redis.clients.jedis)
})
module io.distkit.pool {
  requires transitive io.distkit.core;
  requires transitive io.distkit.locks;
  requires transitive io.distkit.hashing;
  requires transitive io.distkit.ratelimit;
  requires org.slf4j;
  requires static transitive org.jspecify;
  requires static redis.clients.jedis;

  exports io.distkit.pool.object;
  exports io.distkit.pool.object.local;
  exports io.distkit.pool.fleet;
  exports io.distkit.pool.connection;
  exports io.distkit.pool.balance;
  exports io.distkit.pool.jobs;
  exports io.distkit.pool.jobs.local;
  exports io.distkit.pool.jobs.redis;
}
