package io.distkit.examples.snippets;

import io.distkit.cache.Cache;
import io.distkit.cache.local.LocalCache;
import java.time.Duration;
import java.util.Optional;

class CacheQuickStart {
  public static void main(String[] args) {
    try (Cache<String, String> names = LocalCache.<String, String>builder("names")
        .maximumSize(10_000)                      // W-TinyLFU eviction (Caffeine's)
        .defaultTtl(Duration.ofMinutes(5))
        .negativeTtl(Duration.ofSeconds(30))      // remember "not found" for 30 s
        .build()) {
      // concurrent misses of one key run the loader once; the others wait for its value
      Optional<String> alice = names.get("user:1", key -> "Alice");   // a read from your database
      Optional<String> nobody = names.get("user:404", key -> null);   // null: not found
      System.out.println(alice.orElse("?") + ", " + nobody.isPresent());
      names.put("user:2", "Bob", Duration.ofSeconds(10));              // a TTL of its own
      System.out.println(names.getIfPresent("user:2").orElse("?") + ", hit rate " + names.stats().hitRate());
    }
  }
}
