package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisScript;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * The Tour's last section: what every Redis-backed primitive does when Redis is down (shown with a rate limiter
 * pointed at a port where nothing listens), and, on a real Redis, the one-script round trip underneath.
 */
final class RedisDownTour implements TourSection {

  private static final RedisScript VISIT = RedisScript.fromResource(RedisDownTour.class, "tour_visit.lua");
  private static final int TIMEOUT_MILLIS = 200;
  private static final int CALLS = 1_000;

  @Override
  public void runLocal(PrintStream out) {
    heading(out, "Redis down: a limiter on a Redis that is not there (a closed port; each policy once)");
    HostAndPort nowhere = new HostAndPort("127.0.0.1", closedPort());
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(TIMEOUT_MILLIS).socketTimeoutMillis(TIMEOUT_MILLIS).build();
    for (FailurePolicy policy : FailurePolicy.values()) {
      try (RedisClient jedis = RedisClient.builder().hostAndPort(nowhere).clientConfig(config).build()) {
        RateLimiter limiter = RedisRateLimiter.builder(jedis)
            .name("tour")
            .limit(RateLimit.of(Algorithm.GCRA, 5, Duration.ofSeconds(1)))
            .failurePolicy(policy)
            .build();
        long start = System.nanoTime();
        String first = attempt(limiter);
        long firstNanos = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
          attempt(limiter);
        }
        long restNanos = System.nanoTime() - start;
        out.printf(Locale.ROOT, "%-17s first call %s after %d ms; the next %,d took %.1f ms in all%n",
            policy, first, firstNanos / 1_000_000, CALLS, restNanos / 1e6);
      }
    }
    out.println("(a closed port refuses at once; a Redis that does not answer costs the client's timeout, here "
        + TIMEOUT_MILLIS + " ms,");
    out.println(" once: the backend guard remembers the outage, later calls skip the network, and one probe per");
    out.println(" 500 ms checks whether Redis is back. FAIL_CLOSED is the default.)");
  }

  @Override
  public void runRedis(PrintStream out, RedisBackend redis, String where) {
    heading(out, "underneath: one script, one round trip, the server's clock (Redis at " + where + ")");
    RedisKeys keys = RedisKeys.of("tour");
    byte[] key = keys.key("visits", "count").getBytes(StandardCharsets.UTF_8);
    byte[] ttl = Codec.longs().encode(Duration.ofMinutes(10).toMillis());
    for (int i = 0; i < 3; i++) {
      @SuppressWarnings("unchecked")
      List<Object> reply = (List<Object>) redis.eval(VISIT, List.of(key), List.of(ttl));
      out.println("visit " + reply.get(0) + " at server time " + Instant.ofEpochMilli((Long) reply.get(1))
          + " (one EVALSHA on " + keys.key("visits", "count") + ", which expires in 10 minutes)");
    }
    BackendGuard.Stats stats = redis.guard().stats();
    out.println("backend guard: " + stats.state() + ", failures " + stats.failures());
  }

  /** What one decision did: allowed locally, allowed without a limit, or an exception. */
  private static String attempt(RateLimiter limiter) {
    try {
      RateLimitDecision decision = limiter.tryAcquire("client-1");
      return (decision.allowed() ? "allowed" : "denied") + " (" + decision.source() + ")";
    } catch (BackendUnavailableException e) {
      return "threw BackendUnavailableException";
    }
  }

  /** A loopback port where nothing listens (bound, then closed). */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
