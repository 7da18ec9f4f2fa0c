package io.distkit.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One benchmark of a JMH run (a method with one combination of parameters), as JMH's JSON result file
 * ({@code -rf json}) records it.
 *
 * @param benchmark the method's full name, e.g. {@code io.distkit.benchmarks.ratelimit.RedisLimiterBenchmark.oneThread}
 * @param mode JMH's mode, e.g. {@code thrpt}
 * @param threads the threads that ran it
 * @param forks how many JVMs ran it (0: in the runner's own)
 * @param warmup warm-up iterations and time, e.g. {@code 5 × 1 s}
 * @param measurement measured iterations and time, e.g. {@code 5 × 1 s}
 * @param jvm the JVM, e.g. {@code OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1}
 * @param jvmArgs the options of the JVM that ran it
 * @param jmhVersion the JMH version
 * @param params the {@code @Param} values, in JMH's order
 * @param primary the score
 * @param secondary the profilers' figures by label (JMH's leading "·" removed), e.g. {@code gc.alloc.rate.norm}
 */
public record BenchmarkResult(
    String benchmark,
    String mode,
    int threads,
    int forks,
    String warmup,
    String measurement,
    String jvm,
    List<String> jvmArgs,
    String jmhVersion,
    Map<String, String> params,
    Metric primary,
    Map<String, Metric> secondary) {

  /** Copies the collections. */
  public BenchmarkResult {
    jvmArgs = List.copyOf(jvmArgs);
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    secondary = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(secondary));
  }

  /**
   * Reads JMH's JSON result file.
   *
   * @param json the file
   * @return its benchmarks, in the file's order
   */
  public static List<BenchmarkResult> read(Path json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read JMH results " + json, e);
    }
    List<BenchmarkResult> results = new ArrayList<>();
    for (JsonNode node : root) {
      Map<String, String> params = new LinkedHashMap<>();
      JsonNode paramsNode = node.path("params");
      for (Map.Entry<String, JsonNode> param : paramsNode.properties()) {
        params.put(param.getKey(), param.getValue().asText());
      }
      Map<String, Metric> secondary = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> metric : node.path("secondaryMetrics").properties()) {
        String label = metric.getKey().startsWith("\u00b7") ? metric.getKey().substring(1) : metric.getKey();
        secondary.put(label, metric(metric.getValue()));
      }
      List<String> jvmArgs = new ArrayList<>();
      node.path("jvmArgs").forEach(arg -> jvmArgs.add(arg.asText()));
      results.add(new BenchmarkResult(
          node.path("benchmark").asText(),
          node.path("mode").asText(),
          node.path("threads").asInt(),
          node.path("forks").asInt(),
          node.path("warmupIterations").asInt() + " × " + node.path("warmupTime").asText(),
          node.path("measurementIterations").asInt() + " × " + node.path("measurementTime").asText(),
          node.path("vmName").asText() + " " + node.path("vmVersion").asText(),
          jvmArgs,
          node.path("jmhVersion").asText(),
          params,
          metric(node.path("primaryMetric")),
          secondary));
    }
    return results;
  }

  private static Metric metric(JsonNode node) {
    return new Metric(number(node.path("score")), number(node.path("scoreError")), node.path("scoreUnit").asText());
  }

  /** JMH writes NaN and infinities as strings. */
  private static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    try {
      return Double.parseDouble(node.asText());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The benchmark's class: its group in the report.
   *
   * @return the class's full name
   */
  public String className() {
    return benchmark.substring(0, benchmark.lastIndexOf('.'));
  }

  /**
   * The benchmark method's name.
   *
   * @return e.g. {@code oneThread}
   */
  public String method() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /**
   * The implementation under test.
   *
   * @return the {@value ReportGroup#IMPLEMENTATION} parameter, or the method's name when there is none
   */
  public String implementation() {
    return params.getOrDefault(ReportGroup.IMPLEMENTATION, method());
  }

  /**
   * Whether the implementation is distkit's own.
   *
   * @return true when its name starts with {@value ReportGroup#OURS_PREFIX}
   */
  public boolean isOurs() {
    return implementation().startsWith(ReportGroup.OURS_PREFIX);
  }

  /**
   * A secondary figure.
   *
   * @param label e.g. {@code gc.alloc.rate.norm}
   * @return the figure, or null when the run did not record it
   */
  public @Nullable Metric secondary(String label) {
    return secondary.get(label);
  }
}
