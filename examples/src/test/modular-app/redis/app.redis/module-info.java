// A modular application that uses a Redis implementation: it creates the Jedis client, so it requires Jedis.
// Jedis 8 is an automatic module that declares no dependencies of its own, so its connection pool
// (commons-pool2, a named module) is not resolved unless the application requires it (or passes
// --add-modules org.apache.commons.pool2).
module app.redis {
  requires io.distkit.ratelimit;
  requires io.distkit.hashing;
  requires redis.clients.jedis;
  requires org.apache.commons.pool2;
}
