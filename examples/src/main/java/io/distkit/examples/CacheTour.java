package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.cache.Cache;
import io.distkit.cache.local.LocalCache;
import io.distkit.cache.redis.RedisCache;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The Tour's cache section: ten callers miss one key at once and the loader runs once; then invalidation. */
final class CacheTour implements TourSection {

  @Override
  public void runLocal(PrintStream out) {
    heading(out, "cache: ten callers miss one key at once");
    try (Cache<String, String> cache = LocalCache.<String, String>builder("tour").maximumSize(1_000).build()) {
      show(out, cache);
    }
  }

  @Override
  public void runRedis(PrintStream out, RedisBackend redis, String where) {
    heading(out, "cache: the same on Redis at " + where);
    try (Cache<String, String> cache = RedisCache.<String, String>builder("tour-" + UUID.randomUUID(), redis,
        Codec.utf8().versioned(1)).defaultTtl(Duration.ofMinutes(1)).build()) {
      show(out, cache);
      out.println("underneath: GET per read, SET PX per write; invalidateAll advances the cache's epoch in one "
          + "command and every JVM hears it");
    }
  }

  private static void show(PrintStream out, Cache<String, String> cache) {
    AtomicInteger loads = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(10);
    try {
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        answers.add(CompletableFuture.supplyAsync(() -> cache.get("report:today", key -> {
          loads.incrementAndGet();
          Thread.sleep(200); // a slow query: the other callers arrive while it runs
          return "42 orders";
        }).orElseThrow(), callers));
      }
      answers.forEach(CompletableFuture::join);
      out.println("10 callers got \"" + answers.get(0).join() + "\"; the loader ran " + loads.get()
          + " time(s)");
      cache.invalidateAll();
      out.println("after invalidateAll: cached -> " + cache.getIfPresent("report:today").isPresent());
      out.println("stats: " + cache.stats());
    } finally {
      callers.shutdownNow();
    }
  }
}
