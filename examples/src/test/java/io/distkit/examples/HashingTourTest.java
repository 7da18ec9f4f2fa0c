package io.distkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.RedisExtension;
import io.distkit.core.testing.RedisServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

@ExtendWith(RedisExtension.class)
class HashingTourTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theLocalPartShowsEveryAlgorithmMovementAndBoundedLoads() {
    new HashingTour().runLocal(out);
    assertThat(output()).contains("== hashing: where does 'user:42' live?")
        .containsPattern("RING +-> cache-\\d +replicas \\[cache-\\d, cache-\\d, cache-\\d\\]")
        .contains("KETAMA", "JUMP", "RENDEZVOUS", "MAGLEV");
    // adding a fifth server moves about a fifth of the keys, for every algorithm
    Matcher moved = Pattern.compile("moved +(\\d+\\.\\d+)% of keys").matcher(output());
    int rows = 0;
    while (moved.find()) {
      assertThat(Double.parseDouble(moved.group(1))).isBetween(14.0, 26.0);
      rows++;
    }
    assertThat(rows).isEqualTo(5);
    Matcher partitions = Pattern.compile("partitions per server \\{(.*)\\} \\(never above ceil\\(1.1 × 64 / 4\\) = 18\\)")
        .matcher(output());
    assertThat(partitions.find()).isTrue();
    int assigned = 0;
    for (String load : partitions.group(1).split(", ")) {
      int count = Integer.parseInt(load.substring(load.indexOf('=') + 1));
      assertThat(count).isLessThanOrEqualTo(18);
      assigned += count;
    }
    assertThat(assigned).isEqualTo(64);
    Matcher handOver = Pattern.compile("(\\d+) partitions hand over, cache-5 now holds (\\d+)").matcher(output());
    assertThat(handOver.find()).isTrue();
    assertThat(Integer.parseInt(handOver.group(1))).isGreaterThanOrEqualTo(Integer.parseInt(handOver.group(2)))
        .isLessThanOrEqualTo(32);
    Matcher inFlight = Pattern.compile("cache-\\d=(\\d+)").matcher(output().substring(output().indexOf("in flight")));
    int total = 0;
    while (inFlight.find()) {
      assertThat(Integer.parseInt(inFlight.group(1))).isLessThanOrEqualTo(313);
      total += Integer.parseInt(inFlight.group(1));
    }
    assertThat(total).isEqualTo(1000);
  }

  @Test
  void theRedisPartShowsMembersAgreeing(RedisServerProcess redis) {
    try (RedisClient client = redis.newClient()) {
      new HashingTour().runRedis(out, RedisBackend.create(client), "127.0.0.1:" + redis.port());
    }
    assertThat(output()).contains("== hashing: membership in Redis at 127.0.0.1:" + redis.port())
        .contains("members              [cache-1, cache-2, cache-3]")
        .contains("all agree on version true")
        .containsPattern("'user:42' lives on   cache-\\d for every member")
        .contains("after one leaves     [cache-1, cache-2]");
  }

  @Test
  void theTourIncludesTheHashingSection() {
    assertThat(Tour.run(out)).isZero();
    assertThat(output()).contains("== ratelimit: five algorithms", "== hashing: adding a 5th server");
  }
}
