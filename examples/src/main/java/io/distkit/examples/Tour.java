package io.distkit.examples;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.redis.RedisBackend;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A guided tour of what distkit gives you, one section per primitive: rate limiting, consistent hashing, locks,
 * caches, object pools, then what every Redis-backed primitive does when Redis is down. With no arguments it uses
 * only local implementations and needs no server; with {@code --redis redis://host:port} it also runs the same
 * code against that Redis.
 *
 * <pre>{@code
 * mvn -q -B -DskipTests -pl examples -am package exec:java
 * mvn -q -B -DskipTests -pl examples -am package exec:java -Dexec.args="--redis redis://localhost:6379"
 * }</pre>
 */
public final class Tour {

  /** One section per module, in the order they print. */
  static final List<TourSection> SECTIONS = List.of(
      new RateLimitTour(),
      new HashingTour(),
      new LocksTour(),
      new CacheTour(),
      new PoolTour(),
      new JobsTour(),
      new RedisDownTour());

  private Tour() {}

  /**
   * Runs the tour.
   *
   * @param args {@code [--redis URI] [--help]}
   */
  public static void main(String[] args) {
    int status = run(System.out, args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the tour, printing to {@code out}.
   *
   * @param out where the tour prints
   * @param args {@code [--redis URI] [--help]}
   * @return 0 on success (and for {@code --help}), 2 for bad arguments, 1 when Redis was asked for but is
   *     unavailable or refuses the tour (e.g. a wrong password)
   */
  static int run(PrintStream out, String... args) {
    TourOptions options;
    try {
      options = TourOptions.parse(args);
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      out.println(TourOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(TourOptions.USAGE);
      return 0;
    }
    out.println("distkit tour: each primitive with its local implementation (in this JVM, no server)"
        + (options.redis().isPresent() ? ", then the same code on Redis." : "."));
    SECTIONS.forEach(section -> section.runLocal(out));
    if (options.redis().isPresent()) {
      URI uri = options.redis().get();
      String where = TourOptions.describe(uri);
      try (RedisClient client = connect(uri)) {
        RedisBackend redis = RedisBackend.create(client);
        SECTIONS.forEach(section -> section.runRedis(out, redis, where));
      } catch (BackendUnavailableException e) {
        out.println("error: Redis at " + where + " is unavailable: " + e.getMessage());
        return 1;
      } catch (DistkitException | JedisException e) {
        // e.g. WRONGPASS or NOAUTH: Redis answers but refuses us; one line, never the URI's credentials
        out.println("error: Redis at " + where + " refused the tour: " + e.getMessage());
        return 1;
      }
    } else {
      out.println();
      out.println("(Local only. Add --redis redis://host:port to run the same code on Redis.)");
    }
    return 0;
  }

  /** A client for the URI, with timeouts short enough that an unreachable Redis is reported at once. */
  private static RedisClient connect(URI uri) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .user(JedisURIHelper.getUser(uri))
        .password(JedisURIHelper.getPassword(uri))
        .database(JedisURIHelper.getDBIndex(uri))
        .connectionTimeoutMillis(1000)
        .socketTimeoutMillis(1000);
    if (JedisURIHelper.isRedisSSLScheme(uri)) {
      config.sslOptions(SslOptions.defaults()); // rediss://: TLS with the JVM's trust store
    }
    return RedisClient.builder()
        .hostAndPort(JedisURIHelper.getHostAndPort(uri))
        .clientConfig(config.build())
        .build();
  }
}
