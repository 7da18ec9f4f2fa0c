package io.distkit.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on a small, hand-made JMH result file (two groups, made-up scores chosen so every ratio is easy
 * to check): grouping, ratios, columns, targets and the files written.
 */
class ReportTest {

  private static final RunInfo INFO = new RunInfo("2026-01-01T00:00:00Z", "java -jar benchmarks.jar", false, 2,
      "test CPU", "test OS", "redis-server 7.0.15 (from PATH)", Map.of("distkit", "0.1.0-SNAPSHOT"), "abc1234");

  private static Path sample;
  private static List<GroupReport> groups;

  @BeforeAll
  static void readSample(@TempDir Path dir) throws IOException {
    sample = dir.resolve("sample-result.json");
    try (InputStream in = ReportTest.class.getResourceAsStream("sample-result.json")) {
      Files.copy(in, sample);
    }
    groups = GroupReport.of(BenchmarkResult.read(sample));
  }

  private static GroupReport group(String id) {
    return groups.stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void oneGroupPerBenchmarkClassWithItsTitle() {
    assertThat(groups).extracting(GroupReport::id).containsExactly("local-limiter-one-key", "redis-limiter");
    assertThat(group("local-limiter-one-key").title()).isEqualTo("Local rate limiter, one key");
  }

  @Test
  void scenariosAreParametersThenThreadsAndImplementationsKeepTheirOrder() {
    GroupReport local = group("local-limiter-one-key");
    assertThat(local.scenarios()).containsExactly("load=always-admit, 1 thread", "load=always-admit, 2 threads",
        "load=mostly-deny, 1 thread", "load=mostly-deny, 2 threads");
    assertThat(local.implementations()).containsExactly("distkit-token-bucket", "distkit-gcra", "bucket4j", "guava",
        "resilience4j");
    assertThat(local.peers()).containsExactly("bucket4j", "guava", "resilience4j");
    assertThat(group("redis-limiter").scenarios()).containsExactly("keys=1, 1 thread", "keys=1, 4 threads",
        "keys=10000, 1 thread", "keys=10000, 4 threads");
  }

  @Test
  void ratiosCompareScoresOfTheSameScenario() {
    GroupReport local = group("local-limiter-one-key");
    assertThat(local.ratio("load=mostly-deny, 2 threads", "distkit-token-bucket", "bucket4j")).isEqualTo(2.0);
    assertThat(local.ratio("load=mostly-deny, 2 threads", "distkit-gcra", "resilience4j")).isCloseTo(0.9, within(1e-9));
    assertThat(local.ratio("load=mostly-deny, 2 threads", "distkit-gcra", "no-such-peer")).isNaN();
  }

  @Test
  void allocationIsZeroWhenTheProfilerSawNoneAndUnknownWithoutIt() {
    GroupReport local = group("local-limiter-one-key");
    String scenario = "load=always-admit, 1 thread";
    assertThat(GroupReport.bytesPerOp(local.result(scenario, "distkit-token-bucket"))).isZero();
    assertThat(GroupReport.bytesPerOp(local.result(scenario, "guava"))).isEqualTo(24.0);
    assertThat(GroupReport.commandsSentPerOp(local.result(scenario, "guava"))).isNaN();
  }

  @Test
  void tableHasOneRowPerResultAndARatioColumnPerPeer() {
    String table = group("local-limiter-one-key").markdownTable();
    assertThat(table).startsWith("| scenario | implementation | score | error (99.9%) | unit | B/op | vs bucket4j "
        + "| vs guava | vs resilience4j |");
    assertThat(table).contains("| load=always-admit, 1 thread | **distkit-token-bucket** | 60.0 | ± 1.50 | ops/us "
        + "| 0.00 | 2.00× | 3.00× | 1.20× |");
    assertThat(table).contains("|  | guava | 20.0 | ± 1.50 | ops/us | 24.00 | 0.67× |  | 0.40× |");
    assertThat(table.lines().count()).isEqualTo(2 + 4 * 5);

    String redis = group("redis-limiter").markdownTable();
    assertThat(redis).contains("| commands sent/op | commands run/op | commands run (in scripts too) |");
    assertThat(redis).contains("| keys=1, 4 threads | **distkit-token-bucket** | 18.0 | n/a | ops/ms | 1400 | 1.00 "
        + "| 4.00 | evalsha 1.00 + get 1.00 + set 1.00 + time 1.00 | 0.90× | 1.80× |");
  }

  @Test
  void figuresABenchmarkComputedItselfGetAColumnEachPercentilesInOrderAndBlankWhereMissing(@TempDir Path dir)
      throws IOException {
    Path json = dir.resolve("hand-off-result.json");
    try (InputStream in = ReportTest.class.getResourceAsStream("hand-off-result.json")) {
      Files.copy(in, json);
    }
    GroupReport handOff = GroupReport.of(BenchmarkResult.read(json)).get(0);
    String table = handOff.markdownTable();
    assertThat(table.lines().findFirst().orElseThrow()).endsWith("| commands run (in scripts too) | handoff p50 (us) "
        + "| handoff p99 (us) | handoff max (us) | handoff count (#) | wait p99 (us) | wait max (us) | regrants (%) "
        + "| vs redisson-rlock |");
    assertThat(table).contains("| evalsha 3.00 + publish 1.00 | 96.0 | 512 | 9000 | 3000 | 2300 | 14000 | 0 | 2.00× |");
    assertThat(table).contains("| evalsha 6.25 + publish 1.00 | 240 | 1440 | 3500 |  |  |  |  |  |");

    Map<String, TargetOutcome> outcomes = Targets.all().stream().map(t -> t.check(List.of(handOff)))
        .collect(Collectors.toMap(TargetOutcome::claim, Function.identity()));
    TargetOutcome attempts = outcomes.get("Redis lock hand-off: 1 acquire attempt per grant after the caller's first "
        + "request");
    assertThat(attempts.status()).isEqualTo(TargetOutcome.MET);
    assertThat(attempts.measured()).startsWith("1.00 to 1.00 attempts/grant");
  }

  @Test
  void figuresAreOrderedByStemThenPercentileThenMaximumThenName() {
    List<String> labels = new ArrayList<>(List.of("regrants", "wait.max", "handoff.count", "handoff.max",
        "handoff.p99", "handoff.p50", "wait.p99", "handoff.p100"));
    labels.sort(GroupReport::compareFigures);
    assertThat(labels).containsExactly("handoff.p50", "handoff.p99", "handoff.p100", "handoff.max", "handoff.count",
        "wait.p99", "wait.max", "regrants");
  }

  @Test
  void targetsAreJudgedOnEveryScenarioAndSayWhatWasNotMeasured() {
    Map<String, TargetOutcome> outcomes = Targets.all().stream().map(t -> t.check(groups))
        .collect(Collectors.toMap(TargetOutcome::claim, Function.identity()));
    assertThat(outcomes.get("Local, one key: distkit-token-bucket ≥ 1.5× Bucket4j's local bucket").status())
        .isEqualTo(TargetOutcome.MET);
    assertThat(outcomes.get("Local, one key: distkit-gcra ≥ 1.5× Bucket4j's local bucket").status())
        .as("1.5× exactly meets 'at least 1.5×'").isEqualTo(TargetOutcome.MET);
    TargetOutcome slower = outcomes.get("Local, one key: distkit-gcra ≥ 1.0× Resilience4j");
    assertThat(slower.status()).isEqualTo(TargetOutcome.NOT_MET);
    assertThat(slower.measured()).contains("load=always-admit, 1 thread: 0.90×");
    TargetOutcome scaling = outcomes.get("Local, one key: distkit-token-bucket on 2 threads does at least its 1-thread "
        + "total");
    assertThat(scaling.status()).isNotEqualTo(TargetOutcome.NOT_MEASURED);
    assertThat(scaling.measured()).startsWith("load=always-admit: ");
    assertThat(outcomes.get("Local, one key: distkit allocates nothing for an existing key (0 B/op)").status())
        .isEqualTo(TargetOutcome.MET);
    assertThat(outcomes.get("Redis: exactly 1 command sent per decision").status()).isEqualTo(TargetOutcome.MET);
    TargetOutcome hot = outcomes.get("Redis: distkit-token-bucket ≥ 2× Bucket4j-Jedis, hot key, 4 threads");
    assertThat(hot.status()).isEqualTo(TargetOutcome.NOT_MET);
    assertThat(hot.measured()).isEqualTo("keys=1, 4 threads: 1.80×");
    assertThat(outcomes.get("Redis: distkit-gcra ≥ 0.8× the raw EVALSHA round trip").status())
        .isEqualTo(TargetOutcome.NOT_MEASURED);
    assertThat(outcomes.get("Hashing: distkit's ring ≥ 3× the TreeMap ring").status())
        .isEqualTo(TargetOutcome.NOT_MEASURED);
  }

  @Test
  void writesATableAndAChartPerGroupAndRefreshesOnlyTheReadmesGeneratedSection(@TempDir Path dir)
      throws IOException {
    Path results = dir.resolve("results");
    Path readme = dir.resolve("README.md");
    Files.writeString(readme,
        "# Benchmarks\n\nhand-written\n\n" + Report.BEGIN + "\nold\n" + Report.END + "\n\nafter\n");

    Report.write(sample, INFO, results, readme);

    for (String id : List.of("local-limiter-one-key", "redis-limiter")) {
      assertThat(Files.readString(results.resolve(id + ".md"))).startsWith("# ").contains("| scenario |");
      byte[] png = Files.readAllBytes(results.resolve(id + ".png"));
      assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
    String summary = Files.readString(results.resolve("README.md"));
    assertThat(summary).contains("`java -jar benchmarks.jar`", "2 CPUs (test CPU)", "### Targets",
        "![Redis rate limiter](redis-limiter.png)", "warm-up 3 × 1 s, measurement 5 × 1 s");
    String refreshed = Files.readString(readme);
    assertThat(refreshed).startsWith("# Benchmarks\n\nhand-written\n\n" + Report.BEGIN)
        .endsWith(Report.END + "\n\nafter\n")
        .doesNotContain("\nold\n")
        .contains("![Redis rate limiter](results/redis-limiter.png)");
  }

  @Test
  void refusesAReadmeWithoutAGeneratedSection(@TempDir Path dir) throws IOException {
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, "# nothing to replace\n");
    assertThatThrownBy(() -> Report.write(sample, INFO, dir.resolve("results"), readme))
        .hasMessageContaining("has no generated section");
    assertThat(Files.readString(readme)).isEqualTo("# nothing to replace\n");
  }
}
