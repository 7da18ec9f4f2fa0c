package io.distkit.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.distkit.core.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExpiringEntriesTest {

  private record Timed(String value, long deadlineNanos) implements ExpiringEntries.Expiring {}

  private final ManualClock clock = new ManualClock();
  private final ExpiringEntries<String, Timed> entries =
      new ExpiringEntries<>(clock, Caffeine.newBuilder().executor(Runnable::run).maximumSize(100_000).build());

  private Timed living(String value, Duration ttl) {
    return new Timed(value, entries.deadlineIn(ttl.toNanos()));
  }

  @Test
  void anEntryIsServedUntilItsDeadlineAndNotFromIt() {
    entries.put("a", living("1", Duration.ofSeconds(2)));
    clock.advance(Duration.ofSeconds(2).minusNanos(1));
    assertThat(entries.get("a")).extracting(Timed::value).isEqualTo("1");
    clock.advance(Duration.ofNanos(1));
    assertThat(entries.get("a")).isNull();
    assertThat(entries.estimatedSize()).as("an expired entry found by a read is removed").isZero();
  }

  @Test
  void bulkReadsAndComputeSeeNoExpiredEntry() {
    entries.put("short", living("s", Duration.ofSeconds(1)));
    entries.put("long", living("l", Duration.ofSeconds(10)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(entries.getAll(List.of("short", "long", "none"))).containsOnlyKeys("long");
    entries.put("short", living("s", Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    Timed seen = entries.compute("short", (key, live) -> {
      assertThat(live).as("the function sees null for an expired entry").isNull();
      return living("t", Duration.ofSeconds(1));
    });
    assertThat(seen.value()).isEqualTo("t");
    assertThat(entries.get("short")).isEqualTo(seen);
  }

  @Test
  void livesNearTheLongestDurationDoNotWrapIntoThePast() {
    entries.put("forever", new Timed("f", entries.deadlineIn(Long.MAX_VALUE)));
    clock.advance(Duration.ofDays(365 * 200));
    assertThat(entries.get("forever")).as("200 years later").isNotNull();
  }

  @Test
  void expiredEntriesNeverReadAgainAreSweptByLaterWrites() {
    for (int i = 0; i < 1_000; i++) {
      entries.put("old-" + i, living("o", Duration.ofSeconds(1)));
    }
    clock.advance(Duration.ofSeconds(1));
    // each write visits SWEPT_PER_WRITE entries: two full passes over at most 4,000 entries take 4,000 writes
    int writes = 2 * (1_000 + 3_000) / ExpiringEntries.SWEPT_PER_WRITE;
    for (int i = 0; i < writes; i++) {
      entries.put("new-" + (i % 3_000), living("n", Duration.ofHours(1)));
    }
    assertThat(entries.estimatedSize()).as("every expired entry swept, every live one kept").isEqualTo(3_000);
  }

  @Test
  void aDeadlineIsReadOnTheClock() {
    long before = clock.nanoTime();
    assertThat(entries.deadlineIn(TimeUnit.SECONDS.toNanos(3)) - before).isEqualTo(TimeUnit.SECONDS.toNanos(3));
  }
}
