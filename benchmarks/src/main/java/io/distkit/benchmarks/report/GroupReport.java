package io.distkit.benchmarks.report;

import io.distkit.benchmarks.profile.KeyFootprintProfiler;
import io.distkit.benchmarks.profile.RedisCommandsProfiler;
import io.distkit.benchmarks.profile.TrialFiguresProfiler;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The results of one benchmark class, arranged as the report shows them: scenarios (everything but the
 * implementation) by implementations (see {@link ReportGroup}), with each row's ratio to every peer of the same
 * scenario. Renders a markdown table and a bar chart.
 */
public final class GroupReport {

  /** JMH's allocation per operation, from {@code -prof gc}. */
  public static final String ALLOCATION = "gc.alloc.rate.norm";

  private static final String ALLOCATION_RATE = "gc.alloc.rate";
  private static final String SENT = RedisCommandsProfiler.SENT;
  private static final String RUN = RedisCommandsProfiler.RUN;
  private static final String RUN_PREFIX = RedisCommandsProfiler.RUN_PREFIX;
  private static final String FOOTPRINT = KeyFootprintProfiler.LABEL;
  private static final String TRIAL_PREFIX = TrialFiguresProfiler.PREFIX;
  private static final List<String> SCRIPT_COMMANDS = List.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall",
      "fcall_ro");

  /** distkit's implementations get strong colours, peers muted ones, in the order of the implementations. */
  private static final Color[] OURS = {new Color(0x1f4e9c), new Color(0x2ca02c), new Color(0x17becf),
      new Color(0x393b79)};
  private static final Color[] PEERS = {new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b),
      new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0xe377c2)};

  private final String className;
  private final String title;
  private final String about;
  private final List<String> scenarios = new ArrayList<>();
  private final List<String> implementations = new ArrayList<>();
  private final Map<String, Map<String, BenchmarkResult>> results = new LinkedHashMap<>();

  private GroupReport(String className, List<BenchmarkResult> ofClass) {
    this.className = className;
    ReportGroup group = annotation(className);
    this.title = group != null ? group.title() : className.substring(className.lastIndexOf('.') + 1);
    this.about = group != null ? group.about() : "";
    boolean byMethod = needsMethodInLabel(ofClass);
    List<BenchmarkResult> ordered = new ArrayList<>(ofClass);
    List<String> firstSeen = new ArrayList<>();
    for (BenchmarkResult r : ordered) {
      String key = paramsLabel(r);
      if (!firstSeen.contains(key)) {
        firstSeen.add(key);
      }
      if (!implementations.contains(r.implementation())) {
        implementations.add(r.implementation());
      }
    }
    // scenarios: by parameters in the order JMH ran them, then by thread count
    ordered.sort((a, b) -> {
      int byParams = Integer.compare(firstSeen.indexOf(paramsLabel(a)), firstSeen.indexOf(paramsLabel(b)));
      if (byParams != 0) {
        return byParams;
      }
      int byThreads = Integer.compare(a.threads(), b.threads());
      return byThreads != 0 ? byThreads : a.method().compareTo(b.method());
    });
    for (BenchmarkResult r : ordered) {
      String scenario = label(r, byMethod);
      if (!scenarios.contains(scenario)) {
        scenarios.add(scenario);
      }
      results.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).put(r.implementation(), r);
    }
  }

  /**
   * Splits a run's results into groups, one per benchmark class, in the order of the results.
   *
   * @param all a run's results
   * @return the groups
   */
  public static List<GroupReport> of(List<BenchmarkResult> all) {
    Map<String, List<BenchmarkResult>> byClass = new LinkedHashMap<>();
    for (BenchmarkResult r : all) {
      byClass.computeIfAbsent(r.className(), c -> new ArrayList<>()).add(r);
    }
    List<GroupReport> groups = new ArrayList<>();
    byClass.forEach((className, ofClass) -> groups.add(new GroupReport(className, ofClass)));
    return groups;
  }

  private static @Nullable ReportGroup annotation(String className) {
    try {
      return Class.forName(className, false, GroupReport.class.getClassLoader()).getAnnotation(ReportGroup.class);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static boolean needsMethodInLabel(List<BenchmarkResult> ofClass) {
    Set<String> seen = new HashSet<>();
    for (BenchmarkResult r : ofClass) {
      if (!seen.add(label(r, false) + "|" + r.implementation())) {
        return true;
      }
    }
    return false;
  }

  private static String paramsLabel(BenchmarkResult r) {
    StringJoiner label = new StringJoiner(", ");
    r.params().forEach((name, value) -> {
      if (!name.equals(ReportGroup.IMPLEMENTATION)) {
        label.add(name + "=" + value);
      }
    });
    return label.toString();
  }

  private static String label(BenchmarkResult r, boolean withMethod) {
    StringJoiner label = new StringJoiner(", ");
    if (withMethod) {
      label.add(r.method());
    }
    String params = paramsLabel(r);
    if (!params.isEmpty()) {
      label.add(params);
    }
    label.add(r.threads() + (r.threads() == 1 ? " thread" : " threads"));
    return label.toString();
  }

  /**
   * The group's file name: the class's simple name without {@code Benchmark}, in kebab case.
   *
   * @return e.g. {@code local-limiter-one-key}
   */
  public String id() {
    String simple = className.substring(className.lastIndexOf('.') + 1).replaceFirst("Benchmark$", "");
    return simple.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * The benchmark class.
   *
   * @return its full name
   */
  public String className() {
    return className;
  }

  /**
   * The heading.
   *
   * @return {@link ReportGroup#title()}, or the class's simple name
   */
  public String title() {
    return title;
  }

  /**
   * What the group measures and how.
   *
   * @return {@link ReportGroup#about()}, or empty
   */
  public String about() {
    return about;
  }

  /**
   * The scenarios, in the order shown.
   *
   * @return labels such as {@code load=always-admit, 2 threads}
   */
  public List<String> scenarios() {
    return List.copyOf(scenarios);
  }

  /**
   * The implementations, in the order of their {@code @Param} declaration.
   *
   * @return names such as {@code distkit-gcra}
   */
  public List<String> implementations() {
    return List.copyOf(implementations);
  }

  /**
   * The implementations that are not distkit's.
   *
   * @return peers and baselines
   */
  public List<String> peers() {
    return implementations.stream().filter(i -> !i.startsWith(ReportGroup.OURS_PREFIX)).toList();
  }

  /**
   * One result.
   *
   * @param scenario a label of {@link #scenarios()}
   * @param implementation a name of {@link #implementations()}
   * @return the result, or null when the run did not measure it
   */
  public @Nullable BenchmarkResult result(String scenario, String implementation) {
    Map<String, BenchmarkResult> row = results.get(scenario);
    return row == null ? null : row.get(implementation);
  }

  /**
   * How many times faster one implementation was than another in a scenario.
   *
   * @param scenario the scenario
   * @param implementation the implementation
   * @param peer the implementation compared with
   * @return the ratio of their scores, NaN when either was not measured
   */
  public double ratio(String scenario, String implementation, String peer) {
    BenchmarkResult mine = result(scenario, implementation);
    BenchmarkResult theirs = result(scenario, peer);
    if (mine == null || theirs == null || theirs.primary().score() == 0) {
      return Double.NaN;
    }
    return mine.primary().score() / theirs.primary().score();
  }

  /**
   * Bytes allocated per operation ({@code -prof gc}).
   *
   * @param r a result
   * @return B/op; 0 when the profiler ran and saw nothing allocated (JMH then omits the figure); NaN when it
   *     did not run
   */
  public static double bytesPerOp(BenchmarkResult r) {
    Metric norm = r.secondary(ALLOCATION);
    if (norm != null) {
      return norm.score();
    }
    return r.secondary(ALLOCATION_RATE) != null ? 0 : Double.NaN;
  }

  /**
   * Redis commands sent per operation: round trips.
   *
   * @param r a result
   * @return commands/op, NaN when not counted
   */
  public static double commandsSentPerOp(BenchmarkResult r) {
    Metric commands = r.secondary(SENT);
    return commands == null ? Double.NaN : commands.score();
  }

  /**
   * Redis commands run per operation, those inside scripts included.
   *
   * @param r a result
   * @return commands/op, NaN when not counted
   */
  public static double commandsRunPerOp(BenchmarkResult r) {
    Metric commands = r.secondary(RUN);
    return commands == null ? Double.NaN : commands.score();
  }

  /**
   * Script calls per operation: {@code EVAL}, {@code EVALSHA}, their read-only forms and {@code FCALL}s, counted
   * by the server ({@code INFO commandstats}).
   *
   * @param r a result
   * @return calls/op, NaN when commands were not counted
   */
  public static double scriptCallsPerOp(BenchmarkResult r) {
    if (r.secondary(RUN) == null) {
      return Double.NaN;
    }
    double calls = 0;
    for (String command : SCRIPT_COMMANDS) {
      Metric m = r.secondary(RUN_PREFIX + command);
      calls += m == null ? 0 : m.score();
    }
    return calls;
  }

  private boolean any(String label) {
    return results.values().stream().flatMap(m -> m.values().stream()).anyMatch(r -> r.secondary(label) != null);
  }

  private boolean anyPrefix(String prefix) {
    return results.values().stream().flatMap(m -> m.values().stream())
        .anyMatch(r -> r.secondary().keySet().stream().anyMatch(k -> k.startsWith(prefix)));
  }

  /**
   * The labels of the figures benchmarks computed themselves ({@link TrialFiguresProfiler}), each with its unit.
   * Labels without the prefix. JMH sorts labels alphabetically; the table keeps a figure's percentiles together, in
   * rising order, with its maximum after them: {@code handoff.p50, handoff.p99, handoff.max, handoff.count, ...}.
   */
  private Map<String, String> trialFigures() {
    Map<String, String> units = new TreeMap<>(GroupReport::compareFigures);
    results.values().stream().flatMap(m -> m.values().stream()).forEach(r -> r.secondary().forEach((label, m) -> {
      if (label.startsWith(TRIAL_PREFIX)) {
        units.putIfAbsent(label.substring(TRIAL_PREFIX.length()), m.unit());
      }
    }));
    return units;
  }

  /**
   * By what comes before the last dot (labels without one last), then percentiles by their number, then the
   * maximum, then the rest by name.
   */
  static int compareFigures(String a, String b) {
    int dotA = a.lastIndexOf('.');
    int dotB = b.lastIndexOf('.');
    String stemA = dotA < 0 ? "\uffff" : a.substring(0, dotA);
    String stemB = dotB < 0 ? "\uffff" : b.substring(0, dotB);
    int byStem = stemA.compareTo(stemB);
    if (byStem != 0) {
      return byStem;
    }
    String lastA = a.substring(dotA + 1);
    String lastB = b.substring(dotB + 1);
    int byRank = Double.compare(rank(lastA), rank(lastB));
    return byRank != 0 ? byRank : lastA.compareTo(lastB);
  }

  /** {@code p50} → 50, {@code max} → 1000, anything else 2000. */
  private static double rank(String last) {
    if (last.equals("max")) {
      return 1000;
    }
    if (last.matches("p\\d+")) {
      return Double.parseDouble(last.substring(1));
    }
    return 2000;
  }

  /**
   * The group's table: one row per scenario and implementation.
   *
   * @return markdown
   */
  public String markdownTable() {
    boolean allocation = any(ALLOCATION_RATE);
    boolean footprint = any(FOOTPRINT);
    boolean commands = any(SENT);
    boolean commandMix = anyPrefix(RUN_PREFIX);
    Map<String, String> trialFigures = trialFigures();
    List<String> peers = peers();
    StringBuilder md = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("scenario", "implementation", "score", "error (99.9%)", "unit"));
    if (allocation) {
      header.add("B/op");
    }
    if (footprint) {
      header.add("heap B/key");
    }
    if (commands) {
      header.add("commands sent/op");
      header.add("commands run/op");
    }
    if (commandMix) {
      header.add("commands run (in scripts too)");
    }
    trialFigures.forEach((label, unit) -> header.add(label.replace('.', ' ') + " (" + unit + ")"));
    for (String peer : peers) {
      header.add("vs " + peer);
    }
    md.append("| ").append(String.join(" | ", header)).append(" |\n");
    md.append("|").append(" --- |".repeat(2)).append(" ---: |".repeat(header.size() - 2)).append('\n');
    for (String scenario : scenarios) {
      boolean first = true;
      for (String implementation : implementations) {
        BenchmarkResult r = result(scenario, implementation);
        if (r == null) {
          continue;
        }
        List<String> cells = new ArrayList<>();
        cells.add(first ? scenario : "");
        first = false;
        cells.add(r.isOurs() ? "**" + implementation + "**" : implementation);
        cells.add(Figures.significant(r.primary().score()));
        cells.add(Double.isNaN(r.primary().error()) ? "n/a" : "± " + Figures.significant(r.primary().error()));
        cells.add(r.primary().unit());
        if (allocation) {
          cells.add(Figures.perOp(bytesPerOp(r)));
        }
        if (footprint) {
          Metric bytes = r.secondary(FOOTPRINT);
          cells.add(bytes == null ? "" : String.format(Locale.ROOT, "%.0f", bytes.score()));
        }
        if (commands) {
          cells.add(Figures.perOp(commandsSentPerOp(r)));
          cells.add(Figures.perOp(commandsRunPerOp(r)));
        }
        if (commandMix) {
          cells.add(commandMix(r));
        }
        for (String label : trialFigures.keySet()) {
          Metric figure = r.secondary(TRIAL_PREFIX + label);
          cells.add(figure == null ? "" : Figures.significant(figure.score()));
        }
        for (String peer : peers) {
          cells.add(peer.equals(implementation) ? "" : Figures.ratio(ratio(scenario, implementation, peer)));
        }
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
      }
    }
    return md.toString();
  }

  private static String commandMix(BenchmarkResult r) {
    StringJoiner mix = new StringJoiner(" + ");
    r.secondary().forEach((label, metric) -> {
      if (label.startsWith(RUN_PREFIX) && metric.score() >= 0.005) {
        mix.add(label.substring(RUN_PREFIX.length()) + " " + Figures.perOp(metric.score()));
      }
    });
    return mix.toString();
  }

  /**
   * The group's bar chart: a cluster of bars per scenario, one per implementation, with error bars.
   *
   * @param png where to write it; ".png" is added if missing
   */
  public void writeChart(Path png) {
    String unit = results.values().iterator().next().values().iterator().next().primary().unit();
    int width = Math.max(900, Math.min(1800, 110 * scenarios.size() * Math.max(2, implementations.size()) / 2));
    CategoryChart chart = new CategoryChartBuilder()
        .width(width)
        .height(520)
        .title(title + " (higher is better)")
        .yAxisTitle(unit)
        .build();
    CategoryStyler styler = chart.getStyler();
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setErrorBarsColor(Color.DARK_GRAY);
    styler.setYAxisMin(0.0); // a confidence interval may reach below zero; a throughput cannot
    int ours = 0;
    int peers = 0;
    for (String implementation : implementations) {
      List<Double> scores = new ArrayList<>();
      List<Double> errors = new ArrayList<>();
      for (String scenario : scenarios) {
        BenchmarkResult r = result(scenario, implementation);
        double score = r == null ? 0 : r.primary().score();
        double error = r == null || Double.isNaN(r.primary().error()) ? 0 : r.primary().error();
        scores.add(score);
        errors.add(error);
      }
      Color color = implementation.startsWith(ReportGroup.OURS_PREFIX) ? OURS[ours++ % OURS.length]
          : PEERS[peers++ % PEERS.length];
      chart.addSeries(implementation, scenarios, scores, errors).setFillColor(color);
    }
    try {
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write chart " + png, e);
    }
  }
}
