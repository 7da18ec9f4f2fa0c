package io.distkit.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a run's JMH JSON into what people read, in the results directory: per group a markdown table
 * ({@code <group>.md}) and a chart ({@code <group>.png}), and a {@code README.md} with the methodology, the
 * targets and every group. Optionally refreshes the same section in a README, between
 * {@value #BEGIN} and {@value #END}.
 */
public final class Report {

  /** The line that starts the generated section of a README. */
  public static final String BEGIN = "<!-- BEGIN GENERATED RESULTS (BenchmarkSuite writes this part) -->";

  /** The line that ends it. */
  public static final String END = "<!-- END GENERATED RESULTS -->";

  private final List<BenchmarkResult> results;
  private final List<GroupReport> groups;
  private final RunInfo info;

  private Report(List<BenchmarkResult> results, RunInfo info) {
    this.results = results;
    this.groups = GroupReport.of(results);
    this.info = info;
  }

  /**
   * Writes the report of a run.
   *
   * @param json JMH's JSON result file
   * @param info what else is known about the run
   * @param dir the results directory
   * @param readme a README whose generated section to refresh, or null
   * @return the targets' outcomes
   */
  public static List<TargetOutcome> write(Path json, RunInfo info, Path dir, @Nullable Path readme) {
    Report report = new Report(BenchmarkResult.read(json), info);
    try {
      Files.createDirectories(dir);
      for (GroupReport group : report.groups) {
        Files.writeString(dir.resolve(group.id() + ".md"), "# " + group.title() + "\n\n"
            + report.groupSection(group, "", "##"), StandardCharsets.UTF_8);
        group.writeChart(dir.resolve(group.id() + ".png"));
      }
      Files.writeString(dir.resolve("README.md"),
          "# distkit benchmarks: latest results\n\n" + report.body(dir, dir), StandardCharsets.UTF_8);
      if (readme != null) {
        refresh(readme, report.body(readme.toAbsolutePath().getParent(), dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report in " + dir, e);
    }
    return report.outcomes();
  }

  private List<TargetOutcome> outcomes() {
    return Targets.all().stream().map(t -> t.check(groups)).toList();
  }

  private String body(Path from, Path dir) {
    String prefix = from.toAbsolutePath().relativize(dir.toAbsolutePath()).toString().replace('\\', '/');
    prefix = prefix.isEmpty() ? "" : prefix + "/";
    StringBuilder md = new StringBuilder();
    if (info.quick()) {
      md.append("> **Quick run**: one short iteration per benchmark, a smoke test that every benchmark still runs."
          + " These numbers are not measurements.\n\n");
    }
    md.append(methodology()).append('\n');
    md.append("### Targets\n\n");
    md.append("| target | status | measured (ratio of scores in this run) |\n| --- | --- | --- |\n");
    for (TargetOutcome outcome : outcomes()) {
      md.append("| ").append(outcome.claim()).append(" | ")
          .append(outcome.status().equals(TargetOutcome.MET) ? "met" : "**" + outcome.status() + "**")
          .append(" | ").append(outcome.measured()).append(" |\n");
    }
    md.append('\n');
    for (GroupReport group : groups) {
      md.append("### ").append(group.title()).append("\n\n").append(groupSection(group, prefix, "####"));
    }
    return md.toString();
  }

  private String groupSection(GroupReport group, String imagePrefix, String heading) {
    BenchmarkResult any = results.stream().filter(r -> r.className().equals(group.className())).findFirst()
        .orElseThrow();
    return (group.about().isEmpty() ? "" : group.about() + "\n\n")
        + "Benchmark: `" + group.className() + "`; ratios are this row's score over the peer's, in the same "
        + "scenario of the same run (above 1: faster). Unit: " + any.primary().unit() + ".\n\n"
        + group.markdownTable() + "\n"
        + "![" + group.title() + "](" + imagePrefix + group.id() + ".png)\n\n";
  }

  private String methodology() {
    Set<String> jvms = new LinkedHashSet<>();
    Set<String> settings = new LinkedHashSet<>();
    Set<String> jvmArgs = new LinkedHashSet<>();
    Set<String> jmh = new LinkedHashSet<>();
    for (BenchmarkResult r : results) {
      jvms.add(r.jvm());
      jmh.add(r.jmhVersion());
      String forks = r.forks() == 0 ? "no fork (in the runner's JVM)"
          : r.forks() + (r.forks() == 1 ? " fork" : " forks");
      settings.add(forks + ", warm-up " + r.warmup() + ", measurement " + r.measurement());
      jvmArgs.addAll(r.jvmArgs());
    }
    Map<String, String> v = info.versions();
    List<String> lines = new ArrayList<>();
    lines.add("Run " + info.date() + " with `" + info.command() + "`"
        + (info.commit() != null ? ", distkit " + v.get("distkit") + " at commit " + info.commit() : "") + ".");
    lines.add("");
    lines.add("- **Machine**: " + info.cpus() + " CPUs (" + info.cpuModel() + "), " + info.os()
        + ". Shared with other work while running, so every figure is noisy: read the ratios between "
        + "implementations of one run, not the absolute numbers.");
    lines.add("- **JVM**: " + String.join("; ", jvms)
        + (jvmArgs.isEmpty() ? "" : ", options `" + String.join(" ", jvmArgs) + "`") + ".");
    lines.add("- **JMH " + String.join(", ", jmh) + "**: throughput mode, " + String.join("; ", settings)
        + "; error is the half-width of JMH's 99.9% confidence interval. Profilers: `-prof gc` (B/op), "
        + "Redis commands per operation from the server's own counters (sent: requests it read from clients, "
        + "`INFO stats`; run: `INFO commandstats`, which counts the commands scripts run inside Redis too), "
        + "heap per key after full GCs, and figures a benchmark computes itself over all its measured iterations "
        + "together (such as latency percentiles), under their group.");
    if (results.stream().anyMatch(r -> r.secondary().keySet().stream().anyMatch(k -> k.startsWith("redis."))
        || r.className().contains("Redis"))) {
      lines.add("- **Redis**: " + info.redis() + ".");
    }
    lines.add("- **Peers**: Bucket4j " + v.get("bucket4j") + " (core, jedis; caffeine " + v.get("bucket4j-caffeine")
        + ", its latest release), Guava " + v.get("guava") + ", Resilience4j " + v.get("resilience4j")
        + ", Redisson " + v.get("redisson") + "; Jedis " + v.get("jedis") + " for distkit, Bucket4j and the raw "
        + "baseline; Caffeine " + v.get("caffeine")
        // runs saved before the pool benchmark did not record the pools' versions
        + (v.containsKey("commons-pool2") ? "; commons-pool2 " + v.get("commons-pool2") + ", Stormpot "
            + v.get("stormpot") : "") + ".");
    return String.join("\n", lines) + "\n";
  }

  /** Replaces the README's generated section, or fails if it has none (never guesses where to write). */
  private static void refresh(Path readme, String section) throws IOException {
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(readme + " has no generated section: add the lines\n" + BEGIN + "\n"
          + END + "\nwhere the results should go");
    }
    String updated = text.substring(0, begin + BEGIN.length()) + "\n\n" + section + text.substring(end);
    Files.writeString(readme, updated, StandardCharsets.UTF_8);
  }
}
