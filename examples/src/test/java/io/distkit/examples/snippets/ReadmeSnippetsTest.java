package io.distkit.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.RedisExtension;
import io.distkit.core.testing.RedisServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Every Java snippet in the READMEs is the code of a compiled file in {@code io.distkit.examples.snippets}, so a
 * snippet that no longer compiles breaks the build. Each Java block is preceded by a marker naming its source:
 *
 * <pre>{@code
 * <!-- snippet: RateLimitQuickStart.java -->         the whole file, without its package line
 * <!-- snippet: RateLimitTiers.java#tiers -->        the lines between "// region tiers" and "// endregion"
 * }</pre>
 *
 * <p>After changing a snippet's source, {@code mvn -pl examples -am test -Dtest=ReadmeSnippetsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddistkit.snippets.update=true} copies it into the READMEs.
 * The quick starts are also run, so what they print is checked.
 */
@ExtendWith(RedisExtension.class)
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SOURCES = Path.of("src/main/java/io/distkit/examples/snippets");

  /** The Markdown files whose Java blocks are checked. */
  private static final List<String> DOCUMENTS = List.of("README.md", "ratelimit/README.md", "hashing/README.md",
      "locks/README.md", "cache/README.md", "pool/README.md", "benchmarks/README.md", "CONTRIBUTING.md");

  private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([A-Za-z0-9]+\\.java)(?:#([a-z0-9-]+))? -->");
  private static final boolean UPDATE = Boolean.getBoolean("distkit.snippets.update");

  @Test
  void everyJavaBlockIsACompiledSnippet() throws IOException {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String document : DOCUMENTS) {
      Path path = ROOT.resolve(document);
      List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
      List<String> updated = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        updated.add(line);
        if (!line.trim().startsWith("```java")) {
          continue;
        }
        int end = closingFence(lines, i);
        Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1).trim()) : null;
        if (marker == null || !marker.matches()) {
          problems.add(document + ":" + (i + 1) + ": a Java block without a <!-- snippet: File.java --> marker on the "
              + "line before it; put its code in " + SOURCES + " so the build compiles it");
          updated.addAll(lines.subList(i + 1, end + 1));
          i = end;
          continue;
        }
        List<String> expected = snippet(marker.group(1), marker.group(2));
        List<String> actual = lines.subList(i + 1, end);
        checked++;
        if (!actual.equals(expected)) {
          problems.add(document + ":" + (i + 1) + ": differs from " + marker.group(1)
              + (marker.group(2) == null ? "" : "#" + marker.group(2)) + "; expected:\n" + String.join("\n", expected));
        }
        updated.addAll(expected);
        updated.add(lines.get(end));
        i = end;
      }
      if (UPDATE) {
        Files.write(path, updated, StandardCharsets.UTF_8);
      }
    }
    if (UPDATE) {
      problems.removeIf(p -> p.contains(": differs from "));
    }
    assertThat(problems).as("README snippets").isEmpty();
    assertThat(checked).as("snippets checked").isGreaterThanOrEqualTo(10);
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theRateLimitQuickStartPrintsFiveGrantsThenTwoDenials() {
    String out = printed(() -> RateLimitQuickStart.main(new String[0]));
    assertThat(out.lines()).containsExactly(
        "1: allowed, 4 left", "2: allowed, 3 left", "3: allowed, 2 left", "4: allowed, 1 left", "5: allowed, 0 left",
        "6: 429 Too Many Requests, Retry-After: 1", "7: 429 Too Many Requests, Retry-After: 1");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theRedisQuickStartDecidesOnRedis(RedisServerProcess redis) {
    String out = printed(() -> RedisRateLimitQuickStart.main(new String[] {redis.hostAndPort().toString()}));
    assertThat(out.trim()).matches("(allowed, 4 left|denied, 0 left) \\(decided by LIMITER\\)");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theLockQuickStartWritesWithItsTokenAndReleases() {
    String out = printed(() -> {
      try {
        LockQuickStart.main(new String[0]);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(out).matches("invoice 42 paid\nwritten: true, with FencingToken\\[\\d+\\]\n"
        + "holding invoice:42\nCOMPLETED\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theLockKindsQuickStartUsesASemaphoreAReadWriteLockAndAnElection() {
    String out = printed(() -> {
      try {
        LockKindsQuickStart.main(new String[0]);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(out).isEqualTo("permits: true true false\na writer while reading: false, reader valid: true\n"
        + "leader: node-1\n"
        + "after resigning: nobody\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theRedisLockQuickStartTakesTheLockOnRedis(RedisServerProcess redis) {
    String out = printed(() -> {
      try {
        RedisLockQuickStart.main(new String[] {redis.hostAndPort().toString()});
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(out).matches("running the report with FencingToken\\[\\d+\\]\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theCacheQuickStartLoadsRemembersAnAbsenceAndCountsHits() {
    String out = printed(() -> CacheQuickStart.main(new String[0]));
    assertThat(out).isEqualTo("Alice, false\nBob, hit rate 0.3333333333333333\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theRedisCacheQuickStartLoadsOnceAndInvalidatesEverything(RedisServerProcess redis) {
    String out = printed(() -> RedisCacheQuickStart.main(new String[] {redis.hostAndPort().toString()}));
    assertThat(out).isEqualTo("<h1>rendered once for every JVM</h1>\nafter invalidateAll: false\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void thePoolQuickStartLendsAnObjectAndTakesItBack() {
    String out = printed(() -> {
      try {
        PoolQuickStart.main(new String[0]);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(out).isEqualTo("ok: SELECT 1\nlent now: 0, acquired: 1\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theFleetCapQuickStartLendsAPooledJedisConnectionUnderTheCap(RedisServerProcess redis) {
    String out = printed(() -> {
      try {
        FleetCapQuickStart.main(new String[] {redis.hostAndPort().toString()});
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(out).isEqualTo("hello\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theJobsQuickStartRunsAJobAndADelayedOne() {
    String out = printed(() -> {
      try {
        JobsQuickStart.main(new String[0]);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(out).isEqualTo("sending welcome to ada@example.com (attempt 1)\n"
        + "sending reminder to ada@example.com (attempt 1)\n2 sent\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theRedisJobsQuickStartRunsThreeJobsOnRedis(RedisServerProcess redis) {
    String out = printed(() -> {
      try {
        RedisJobsQuickStart.main(new String[] {redis.hostAndPort().toString()});
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(out.lines().filter(line -> line.startsWith("resizing ")))
        .hasSize(3)
        .allMatch(line -> line.matches("resizing (cat|dog|owl)\\.jpg \\(attempt 1, token \\d+\\)"));
    assertThat(out).endsWith("3 resized\n");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  void theHashingQuickStartPlacesAKeyAndItsReplicas() {
    String out = printed(() -> HashingQuickStart.main(new String[0]));
    assertThat(out).matches("(?s)user:42 lives on cache-\\d:6379, replicas \\[Server\\[host=cache-\\d, port=6379\\], "
        + "Server\\[host=cache-\\d, port=6379\\]\\]\nafter adding cache-4: cache-\\d:6379\n");
  }

  private static String printed(Runnable program) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      program.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The lines a marker stands for: a whole file without its package line, or one region, dedented. */
  private static List<String> snippet(String file, String region) {
    List<String> source;
    try {
      source = Files.readAllLines(SOURCES.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("snippet source " + SOURCES.resolve(file) + " is missing", e);
    }
    if (region == null) {
      int start = 0;
      while (start < source.size() && (source.get(start).startsWith("package ") || source.get(start).isBlank())) {
        start++;
      }
      return source.subList(start, source.size());
    }
    int from = 0;
    while (from < source.size() && !source.get(from).trim().equals("// region " + region)) {
      from++;
    }
    from = from == source.size() ? -1 : from;
    assertThat(from).as("'// region " + region + "' in " + file).isNotNegative();
    int to = from + 1;
    while (to < source.size() && !source.get(to).trim().equals("// endregion")) {
      to++;
    }
    assertThat(to).as("'// endregion' after region " + region + " in " + file).isLessThan(source.size());
    List<String> body = source.subList(from + 1, to);
    int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(ReadmeSnippetsTest::indentOf).min().orElse(0);
    return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
  }

  private static int indentOf(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private static int closingFence(List<String> lines, int open) {
    for (int j = open + 1; j < lines.size(); j++) {
      if (lines.get(j).trim().equals("```")) {
        return j;
      }
    }
    throw new AssertionError("unclosed code block at line " + (open + 1));
  }
}
