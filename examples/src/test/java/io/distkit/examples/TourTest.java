package io.distkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.RedisExtension;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

@ExtendWith(RedisExtension.class)
class TourTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runsLocallyWithoutAnyServer() {
    assertThat(Tour.run(out)).isZero();
    assertThat(output())
        .startsWith("distkit tour: each primitive with its local implementation")
        .contains("ratelimit: five algorithms", "Y = allowed, n = denied", "SLIDING_WINDOW_COUNTER", "YYYYYnn")
        .contains("free:alice  4th request -> 429", "pro:bob     4th request -> 200")
        .contains("hashing: where does 'user:42' live?")
        .contains("worker-1 releases -> worker-2 holds it, token grew: true",
            "worker-2 releases -> worker-3 holds it, token grew: true")
        .contains("the paused holder wakes, writes: accepted false (its lock is valid: false)")
        .contains("semaphore of 2: two permits taken, a third -> false",
            "a second reader -> false (readers cannot starve a writer)",
            "the reader releases -> the writer holds it alone: true",
            "node-2 leads, newer term: true, leader() says node-2")
        .contains("10 callers got \"42 orders\"; the loader ran 1 time(s)", "after invalidateAll: cached -> false")
        // two connections at most serve six callers; the timeout names the two threads that hold them
        .containsPattern("6 callers served by conn-\\d( and conn-\\d)?: created [12], acquired 6, waited \\d")
        .containsPattern("a caller with a 200 ms timeout -> PoolTimeoutException: Pool tour: no object within 200 ms; "
            + "2 of 2 lent \\(at most 2\\), \\d waiting; longest holders: thread (nightly-report|slow-export) for "
            + "\\d+ ms, thread (nightly-report|slow-export) for \\d+ ms")
        .contains("closed: 2 connections closed, 0 left")
        .containsPattern("FAIL_CLOSED +first call threw BackendUnavailableException after \\d+ ms")
        .containsPattern("FAIL_OPEN +first call allowed \\(FAIL_OPEN\\)")
        .containsPattern("FALLBACK_TO_LOCAL first call allowed \\(LOCAL_FALLBACK\\)")
        .contains("Local only");
    assertThat(output().indexOf("== ratelimit")).as("the tour opens with a primitive, not internals")
        .isLessThan(output().indexOf("== hashing")).isLessThan(output().indexOf("== Redis down"));
    assertThat(output().indexOf("== cache")).as("the pool section follows the cache's")
        .isLessThan(output().indexOf("== pool")).isPositive();
    assertThat(output().indexOf("== pool")).isLessThan(output().indexOf("== jobs"));
    assertThat(output().indexOf("== jobs")).isLessThan(output().indexOf("== Redis down"));
    assertThat(output())
        .contains("photo-1 submitted twice with one idempotency key: the second ignored -> true")
        .contains("dead: resize photo-9.jpg after 3 attempts (java.lang.IllegalStateException: corrupt file)")
        .contains("replayed once fixed -> done; 3 done, 2 retries, 0 dead")
        .contains("drain: every attempt finished in time");
  }

  @Test
  void runsTheRedisSectionsAgainstTheGivenRedis(RedisServerProcess redis) {
    assertThat(Tour.run(out, "--redis", redis.uri())).isZero();
    assertThat(output())
        .contains("ratelimit: the same limits on Redis at 127.0.0.1:" + redis.port())
        .containsPattern("TOKEN_BUCKET +YYYYYnn")
        .contains("underneath: one script, one round trip, the server's clock (Redis at 127.0.0.1:" + redis.port())
        .containsPattern("visit \\d+ at server time 20\\d\\d-")
        .contains("backend guard: UP, failures 0")
        .contains("locks: the same line on Redis at 127.0.0.1:" + redis.port())
        .contains("semaphore of 2: two permits taken, a third -> false",
            "the reader releases -> the writer holds it alone: true", "leader() says node-2")
        .contains("cache: the same on Redis at 127.0.0.1:" + redis.port(), "the loader ran 1 time(s)")
        // two pools under one fleet cap of 3: never more than 3 together; borrowing an open one asks no permit
        .contains("pool: two JVMs' pools, 3 connections for the whole fleet, on Redis at 127.0.0.1:" + redis.port(),
            "jvm-1 borrows 3 and keeps them -> sizes: jvm-1 3, jvm-2 0 (together 3 of 3)",
            "jvm-2: a caller waits 300 ms -> PoolTimeoutException, because FleetCapReachedException",
            "jvm-1 closes one, gives 2 back -> jvm-2 opens jvm-2/conn-1; sizes: jvm-1 2, jvm-2 1 (together 3 of 3)",
            "jvm-1 borrows and gives back 100 times: 0 connections opened")
        .contains("jobs: one queue, two JVMs' workers, on Redis at 127.0.0.1:" + redis.port(),
            "jvm-1 submits 20 jobs in one call -> both JVMs ran them, each once: true (20 jobs;",
            "jvm-2 drains with 300 ms to spare while the long job runs -> finished in time: false; the job is back in "
                + "the queue: 1 queued",
            "jvm-1 works again -> it runs the long job, attempt 1 (a drained attempt does not count), with a newer "
                + "fencing token: true")
        .doesNotContain("Local only");
  }

  @Test
  void helpPrintsTheUsageAndRunsNothing() {
    assertThat(Tour.run(out, "--help")).isZero();
    assertThat(output()).startsWith("usage: Tour").contains("--redis URI").doesNotContain("==");
    printed.reset();
    assertThat(Tour.run(out, "-h")).isZero();
    assertThat(output()).startsWith("usage: Tour");
  }

  @Test
  void aWrongPasswordIsOneClearLineThatNeverEchoesIt() {
    RedisServerProcess guarded = RedisServers.startStandalone();
    try {
      try (Jedis admin = guarded.connect()) {
        admin.configSet("requirepass", "right-one");
      }
      assertThat(Tour.run(out, "--redis", "redis://:not-it@127.0.0.1:" + guarded.port())).isEqualTo(1);
      assertThat(output().lines().filter(l -> l.startsWith("error:")))
          .singleElement().asString()
          .startsWith("error: Redis at 127.0.0.1:" + guarded.port() + " refused the tour: ")
          .containsAnyOf("WRONGPASS", "invalid password")
          .doesNotContain("not-it");
      assertThat(output()).doesNotContain("not-it").doesNotContain("\tat ");
    } finally {
      guarded.kill();
    }
  }

  @Test
  void anUnreachableRedisIsReportedNotAHang() {
    RedisServerProcess dead = RedisServers.startStandalone();
    dead.kill();
    assertThat(Tour.run(out, "--redis", dead.uri())).isEqualTo(1);
    assertThat(output()).contains("error: Redis at 127.0.0.1:" + dead.port() + " is unavailable");
  }

  @Test
  void badArgumentsPrintUsageAndNeverEchoPasswords() {
    assertThat(Tour.run(out, "--redis")).isEqualTo(2);
    assertThat(output()).contains("--redis needs a URI", "usage: Tour");
    printed.reset();
    assertThat(Tour.run(out, "--redis", "http://user:s3cret@host:1")).isEqualTo(2);
    assertThat(output()).contains("must look like redis://host:port").doesNotContain("s3cret");
    printed.reset();
    assertThat(Tour.run(out, "--verbose")).isEqualTo(2);
    assertThat(output()).contains("unknown argument '--verbose'", "usage: Tour");
  }
}
