package io.distkit.benchmarks;

import io.distkit.benchmarks.profile.KeyFootprintProfiler;
import io.distkit.benchmarks.profile.RedisCommandsProfiler;
import io.distkit.benchmarks.profile.TrialFiguresProfiler;
import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.report.Report;
import io.distkit.benchmarks.report.RunInfo;
import io.distkit.benchmarks.report.TargetOutcome;
import io.distkit.core.testing.RedisBinary;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The entry point of {@code benchmarks.jar}: runs the suite or a subset with JMH, then writes the report
 * (JMH's JSON, a markdown table and a chart per group, a summary with the methodology and the targets).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [suite options] [JMH options] [benchmark regexps]
 *
 *   --quick             one short warm-up and one short measured iteration per benchmark, in this JVM
 *                       (no fork): a smoke test; results go to benchmarks/target/quick-results
 *   --results DIR       where to write (default benchmarks/results, relative to the working directory)
 *   --readme FILE       also refresh the generated section of this README
 *   --redis-uri URI     run the Redis benchmarks against this Redis instead of servers of their own
 *   --report-only       write the report from DIR's existing jmh-result.json and run-info.json; run nothing
 * </pre>
 *
 * <p>Everything else goes to JMH as on its own command line ({@code -f}, {@code -wi}, {@code -i}, {@code -p},
 * {@code -prof}, regexps...), so {@code java -jar benchmarks.jar RedisLimiter -p keys=1} runs a subset. The
 * suite's defaults apply only where the command line says nothing: 1 fork, 5 warm-up and 5 measured
 * iterations of 1 s (fewer warm-ups left some peers still compiling in the first measured one), {@code -prof gc} plus {@link RedisCommandsProfiler}, {@link KeyFootprintProfiler} and
 * {@link TrialFiguresProfiler} always, and stop at the first benchmark that fails.
 */
public final class BenchmarkSuite {

  /** The JSON file JMH writes in the results directory. */
  public static final String JSON = "jmh-result.json";

  private BenchmarkSuite() {}

  /**
   * Runs the suite.
   *
   * @param args see the class documentation
   * @throws Exception when JMH, a benchmark or the report fails (the exit status is then non-zero)
   */
  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  /**
   * Runs the suite and returns the exit status instead of exiting.
   *
   * @param args see the class documentation
   * @param out where to print the summary
   * @return 0 on success, 2 for a bad command line
   * @throws RunnerException when JMH or a benchmark fails
   */
  public static int run(String[] args, PrintStream out) throws RunnerException {
    boolean quick = false;
    boolean reportOnly = false;
    Path results = null;
    Path readme = null;
    String redisUri = null;
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--report-only" -> reportOnly = true;
        case "--results" -> results = Path.of(value(args, ++i, "--results"));
        case "--readme" -> readme = Path.of(value(args, ++i, "--readme"));
        case "--redis-uri" -> redisUri = value(args, ++i, "--redis-uri");
        case "--help" -> {
          out.println(usage());
          return 0;
        }
        default -> jmhArgs.add(args[i]);
      }
    }
    if (results == null) {
      results = Path.of(quick ? "benchmarks/target/quick-results" : "benchmarks/results");
    }
    Path json = results.resolve(JSON);
    if (reportOnly) {
      return report(json, RunInfo.read(results), results, readme, out);
    }

    CommandLineOptions jmh;
    try {
      jmh = new CommandLineOptions(jmhArgs.toArray(String[]::new));
    } catch (CommandLineOptionException e) {
      out.println("Bad JMH option: " + e.getMessage() + "\n\n" + usage());
      return 2;
    }
    ChainedOptionsBuilder options = new OptionsBuilder().parent(jmh);
    if (jmh.getIncludes().isEmpty()) {
      options.include("io\\.distkit\\.benchmarks\\..*");
    }
    if (!jmh.getForkCount().hasValue()) {
      options.forks(quick ? 0 : 1);
    }
    if (!jmh.getWarmupIterations().hasValue()) {
      options.warmupIterations(quick ? 1 : 5);
    }
    if (!jmh.getWarmupTime().hasValue()) {
      options.warmupTime(quick ? TimeValue.milliseconds(100) : TimeValue.seconds(1));
    }
    if (!jmh.getMeasurementIterations().hasValue()) {
      options.measurementIterations(quick ? 1 : 5);
    }
    if (!jmh.getMeasurementTime().hasValue()) {
      options.measurementTime(quick ? TimeValue.milliseconds(200) : TimeValue.seconds(1));
    }
    if (quick) {
      // JMH holds one lock per machine (/tmp/jmh.lock) so that measurements do not disturb each other; a smoke
      // test measures nothing, and must not fail because another build on this machine is running benchmarks
      System.setProperty("jmh.ignoreLock", "true");
    }
    if (!jmh.shouldFailOnError().hasValue()) {
      options.shouldFailOnError(true);
    }
    boolean userGc = jmh.getProfilers().stream()
        .anyMatch(p -> p.getKlass().equals("gc") || p.getKlass().equals(GCProfiler.class.getName()));
    if (!userGc) {
      options.addProfiler(GCProfiler.class);
    }
    options.addProfiler(RedisCommandsProfiler.class).addProfiler(KeyFootprintProfiler.class)
        .addProfiler(TrialFiguresProfiler.class);
    options.result(json.toString()).resultFormat(ResultFormatType.JSON);
    if (redisUri != null) {
      List<String> jvmArgs = new ArrayList<>(jmh.getJvmArgsAppend().orElse(List.of()));
      jvmArgs.add("-D" + BenchmarkRedis.URI_PROPERTY + "=" + redisUri);
      options.jvmArgsAppend(jvmArgs.toArray(String[]::new));
      System.setProperty(BenchmarkRedis.URI_PROPERTY, redisUri); // for benchmarks run in this JVM (no fork)
    }

    try {
      Files.createDirectories(results);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot create " + results, e);
    }
    RunInfo info = RunInfo.now(command(args), quick, redisDescription(redisUri));
    info.save(results);
    new Runner(options.build()).run();
    return report(json, info, results, readme, out);
  }

  private static int report(Path json, RunInfo info, Path results, @Nullable Path readme, PrintStream out) {
    List<TargetOutcome> outcomes = Report.write(json, info, results, readme);
    out.println();
    out.println("Report written to " + results.toAbsolutePath().normalize()
        + (readme != null ? " and " + readme.toAbsolutePath().normalize() : ""));
    for (TargetOutcome outcome : outcomes) {
      out.println("  [" + outcome.status() + "] " + outcome.claim() + ": " + outcome.measured());
    }
    return 0;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static String redisDescription(@Nullable String redisUri) {
    if (redisUri != null) {
      URI uri = URI.create(redisUri);
      // host and port only: a URI may hold a password
      return "a given Redis at " + uri.getHost() + ":" + uri.getPort() + " (--redis-uri), shared by every trial";
    }
    try {
      RedisBinary binary = RedisBinary.locate();
      return "redis-server " + binary.version() + " (from " + binary.origin() + "), a fresh one per Redis trial, "
          + "on loopback";
    } catch (IllegalStateException e) {
      return "no redis-server found";
    }
  }

  /** The command as a reader would retype it. */
  private static String command(String[] args) {
    String launcher;
    try {
      Path code = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(code)) {
        Path cwd = Path.of("").toAbsolutePath();
        Path jar = code.startsWith(cwd) ? cwd.relativize(code) : code;
        launcher = "java -jar " + jar.toString().replace('\\', '/');
      } else {
        launcher = "java -cp <classpath> " + BenchmarkSuite.class.getName();
      }
    } catch (URISyntaxException | RuntimeException e) {
      launcher = "java -jar benchmarks.jar";
    }
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      shown.add(args[i]);
      if (args[i].equals("--redis-uri") && i + 1 < args.length) {
        shown.add("<uri>"); // may hold a password
        i++;
      }
    }
    return (launcher + " " + String.join(" ", shown)).trim();
  }

  private static String usage() {
    return """
        Usage: java -jar benchmarks/target/benchmarks.jar [suite options] [JMH options] [benchmark regexps]
          --quick           one short iteration per benchmark, no fork: a smoke test (results in
                            benchmarks/target/quick-results unless --results says otherwise)
          --results DIR     where to write JSON, tables, charts (default benchmarks/results)
          --readme FILE     also refresh the generated section of this README
          --redis-uri URI   use this Redis instead of starting one per trial (never flushed; the keys the
                            benchmarks wrote are deleted; commands/op is not counted)
          --report-only     rewrite the report from DIR's jmh-result.json and run-info.json
        JMH options as usual, e.g. -f 2 -wi 5 -i 10 -p keys=1 -prof stack; regexps select benchmarks,
        e.g. RedisLimiter or 'LocalLimiterOneKey.*oneThread'. java -cp benchmarks.jar org.openjdk.jmh.Main -l
        lists them.""";
  }
}
