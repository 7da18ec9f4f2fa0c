package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.core.BackendGuard;
import io.distkit.core.Clock;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisScript;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The Tour's core section: clock, codecs, keys, and a script round trip on Redis. */
final class CoreTour implements TourSection {

  private static final RedisScript VISIT = RedisScript.fromResource(CoreTour.class, "tour_visit.lua");

  @Override
  public void runLocal(PrintStream out) {
    heading(out, "core: clock");
    Clock clock = Clock.system();
    long first = clock.nanoTime();
    long second = clock.nanoTime();
    out.println("wall time          " + Instant.ofEpochMilli(clock.epochMillis()));
    out.println("monotonic interval " + (second - first) + " ns between two back-to-back readings");

    heading(out, "core: codecs");
    byte[] text = Codec.utf8().encode("héllo, wörld");
    out.println("utf8   'héllo, wörld' -> " + text.length + " bytes -> '" + Codec.utf8().decode(text) + "'");
    byte[] number = Codec.longs().encode(-42L);
    out.println("longs  -42 -> '" + new String(number, StandardCharsets.US_ASCII) + "' -> "
        + Codec.longs().decode(number));

    heading(out, "core: keys");
    RedisKeys keys = RedisKeys.of("tour");
    out.println("key of 'user:42', part 'visits'   " + keys.key("user:42", "visits"));
    out.println("braces cannot break the hash tag  " + keys.key("a}b{c", "visits"));
  }

  @Override
  public void runRedis(PrintStream out, RedisBackend redis, String where) {
    heading(out, "core: a script round trip on Redis at " + where);
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
