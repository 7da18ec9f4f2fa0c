package io.distkit.examples;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.Clock;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisScript;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A walk through distkit, one section per module. With no arguments it uses only local implementations
 * and needs no server; with {@code --redis redis://host:port} it also runs against that Redis.
 *
 * <pre>{@code
 * mvn -q -B -DskipTests -pl examples -am package exec:java
 * mvn -q -B -DskipTests -pl examples -am package exec:java -Dexec.args="--redis redis://localhost:6379"
 * }</pre>
 */
public final class Tour {

  private static final RedisScript VISIT = RedisScript.fromResource(Tour.class, "tour_visit.lua");

  private final PrintStream out;

  private Tour(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the tour.
   *
   * @param args {@code [--redis URI]}
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
   * @param args {@code [--redis URI]}
   * @return 0 on success, 2 for bad arguments, 1 when Redis was asked for but is unavailable
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
    Tour tour = new Tour(out);
    tour.core();
    if (options.redis().isPresent()) {
      URI uri = options.redis().get();
      try (RedisClient client = connect(uri)) {
        tour.coreRedis(RedisBackend.create(client), TourOptions.describe(uri));
      } catch (BackendUnavailableException e) {
        out.println("error: Redis at " + TourOptions.describe(uri) + " is unavailable: " + e.getMessage());
        return 1;
      }
    } else {
      out.println();
      out.println("(Local only. Add --redis redis://host:port to run the Redis sections.)");
    }
    return 0;
  }

  /** A client for the URI, with timeouts short enough that an unreachable Redis is reported at once. */
  private static RedisClient connect(URI uri) {
    return RedisClient.builder()
        .hostAndPort(JedisURIHelper.getHostAndPort(uri))
        .clientConfig(DefaultJedisClientConfig.builder()
            .user(JedisURIHelper.getUser(uri))
            .password(JedisURIHelper.getPassword(uri))
            .database(JedisURIHelper.getDBIndex(uri))
            .ssl(JedisURIHelper.isRedisSSLScheme(uri))
            .connectionTimeoutMillis(1000)
            .socketTimeoutMillis(1000)
            .build())
        .build();
  }

  private void section(String title) {
    out.println();
    out.println("== " + title + " ==");
  }

  private void core() {
    section("core: clock");
    Clock clock = Clock.system();
    long first = clock.nanoTime();
    long second = clock.nanoTime();
    out.println("wall time          " + Instant.ofEpochMilli(clock.epochMillis()));
    out.println("monotonic interval " + (second - first) + " ns between two back-to-back readings");

    section("core: codecs");
    byte[] text = Codec.utf8().encode("héllo, wörld");
    out.println("utf8   'héllo, wörld' -> " + text.length + " bytes -> '" + Codec.utf8().decode(text) + "'");
    byte[] number = Codec.longs().encode(-42L);
    out.println("longs  -42 -> '" + new String(number, StandardCharsets.US_ASCII) + "' -> "
        + Codec.longs().decode(number));

    section("core: keys");
    RedisKeys keys = RedisKeys.of("tour");
    out.println("key of 'user:42', part 'visits'   " + keys.key("user:42", "visits"));
    out.println("braces cannot break the hash tag  " + keys.key("a}b{c", "visits"));
  }

  private void coreRedis(RedisBackend redis, String where) {
    section("core: a script round trip on Redis at " + where);
    RedisKeys keys = RedisKeys.of("tour");
    byte[] key = keys.key("visits", "count").getBytes(StandardCharsets.UTF_8);
    byte[] ttl = Codec.longs().encode(Duration.ofMinutes(10).toMillis());
    for (int i = 0; i < 3; i++) {
      @SuppressWarnings("unchecked")
      List<Object> reply = (List<Object>) redis.eval(VISIT, List.of(key), List.of(ttl));
      out.println("visit " + reply.get(0) + " at server time " + Instant.ofEpochMilli((Long) reply.get(1))
          + " (one EVALSHA; the key expires in 10 minutes)");
    }
    BackendGuard.Stats stats = redis.guard().stats();
    out.println("backend guard      " + stats.state() + ", failures " + stats.failures());
  }
}
