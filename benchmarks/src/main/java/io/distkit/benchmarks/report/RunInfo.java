package io.distkit.benchmarks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a report says about the run besides JMH's own JSON: when, by which command, on what machine, against
 * which Redis and which versions of the peers. Saved beside the JSON ({@value #FILE}) so that a report can be
 * written again from the files alone.
 *
 * @param date when the run started, UTC, to the second
 * @param command the command that ran it
 * @param quick whether it was a quick (smoke-test) run
 * @param cpus processors available to the JVM
 * @param cpuModel the processor, from {@code /proc/cpuinfo} where there is one
 * @param os the operating system
 * @param redis which Redis the Redis benchmarks used
 * @param versions distkit's version and the peers' (artifact to version)
 * @param commit the git commit of the working directory, if it is a checkout
 */
public record RunInfo(String date, String command, boolean quick, int cpus, String cpuModel, String os, String redis,
    Map<String, String> versions, @Nullable String commit) {

  /** The file name beside JMH's JSON. */
  public static final String FILE = "run-info.json";

  /**
   * Describes a run starting now.
   *
   * @param command the command line
   * @param quick whether it is a quick run
   * @param redis which Redis the Redis benchmarks use
   * @return the description
   */
  public static RunInfo now(String command, boolean quick, String redis) {
    return new RunInfo(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), command, quick,
        Runtime.getRuntime().availableProcessors(), readCpuModel(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        redis, builtVersions(), gitCommit());
  }

  /**
   * Saves it in a results directory.
   *
   * @param dir the directory
   */
  public void save(Path dir) {
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(FILE).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the one saved in a results directory.
   *
   * @param dir the directory
   * @return the description
   */
  public static RunInfo read(Path dir) {
    try {
      return new ObjectMapper().readValue(dir.resolve(FILE).toFile(), RunInfo.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + dir.resolve(FILE), e);
    }
  }

  private static Map<String, String> builtVersions() {
    Properties properties = new Properties();
    try (InputStream in = RunInfo.class.getResourceAsStream("/io/distkit/benchmarks/versions.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> versions = new LinkedHashMap<>();
    for (String name : new String[] {"distkit", "jmh", "bucket4j", "bucket4j-caffeine", "guava", "resilience4j",
        "redisson", "jedis", "caffeine", "commons-pool2", "stormpot"}) {
      versions.put(name, properties.getProperty(name, "unknown"));
    }
    return versions;
  }

  private static String readCpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      if (Files.isReadable(cpuinfo)) {
        for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).trim();
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // not worth failing a run for
    }
    return "unknown";
  }

  /** The checkout's commit, marked when the working tree has changes; null outside a checkout. */
  private static @Nullable String gitCommit() {
    String head = git("rev-parse", "--short", "HEAD");
    if (head == null || head.isBlank()) {
      return null;
    }
    String status = git("status", "--porcelain", "--untracked-files=no");
    return status == null || status.isBlank() ? head.trim() : head.trim() + " (with uncommitted changes)";
  }

  private static @Nullable String git(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
