package io.distkit.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a {@code redis-server} binary for the tests, in this order:
 * <ol>
 *   <li>the path in the environment variable {@code DISTKIT_REDIS_SERVER} (an error if it does not work:
 *       you asked for it);
 *   <li>{@code redis-server} on the {@code PATH};
 *   <li>the binary shipped inside the {@code com.github.codemonstur:embedded-redis} test dependency,
 *       extracted once into {@code target/redis-binary} of the directory the tests run in (the module's
 *       own {@code target/} under Maven), or the directory named by the system property
 *       {@value #BINARY_DIR_PROPERTY}. Nothing is written outside the project.
 * </ol>
 * Each candidate must run {@code --version} and be Redis 6.2 or newer (or Valkey). When none does, the
 * tests fail with a message saying how to get one: a test that needs Redis never skips.
 *
 * @param path the executable
 * @param origin where it came from, for logs and reports
 * @param version the version it reports, e.g. {@code "7.0.15"}
 */
public record RedisBinary(Path path, String origin, String version) {

  /** The environment variable that names a redis-server binary to use. */
  public static final String ENV = "DISTKIT_REDIS_SERVER";

  /** The system property naming where the embedded binary is extracted; default {@code target/redis-binary}. */
  public static final String BINARY_DIR_PROPERTY = "distkit.redis.binary.dir";

  private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");

  private static volatile RedisBinary found;

  /**
   * The binary to use, located once per JVM.
   *
   * @return the binary
   * @throws IllegalStateException when none can be found, saying how to get one
   */
  public static RedisBinary locate() {
    RedisBinary result = found;
    if (result == null) {
      synchronized (RedisBinary.class) {
        result = found;
        if (result == null) {
          result = search(System.getenv(), name -> RedisBinary.class.getResourceAsStream("/" + name));
          found = result;
        }
      }
    }
    return result;
  }

  /**
   * The search itself, with the environment and the class path passed in so it can be tested.
   *
   * @param env environment variables
   * @param resources opens a class-path resource by name, or returns null when there is none
   * @return the binary
   * @throws IllegalStateException when none works, saying how to get one
   */
  static RedisBinary search(Map<String, String> env, Function<String, InputStream> resources) {
    List<String> tried = new ArrayList<>();
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path path = Path.of(fromEnv);
      String version = versionOf(path, tried);
      if (version == null) {
        throw new IllegalStateException(ENV + "=" + fromEnv + " is not a working redis-server 6.2 or newer: "
            + String.join("; ", tried));
      }
      return new RedisBinary(path, "$" + ENV, version);
    }
    String pathVar = env.get("PATH");
    if (pathVar != null) {
      for (String dir : pathVar.split(java.io.File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          String version = versionOf(candidate, tried);
          if (version != null) {
            return new RedisBinary(candidate, "PATH", version);
          }
        }
      }
    }
    Path embedded = extractEmbedded(resources, tried);
    if (embedded != null) {
      String version = versionOf(embedded, tried);
      if (version != null) {
        return new RedisBinary(embedded, "embedded-redis test dependency", version);
      }
    }
    throw new IllegalStateException("""
        No usable redis-server (6.2 or newer) for distkit's Redis tests. Tried: %s.
        Get one in any of these ways:
          - install it: apt-get install redis-server (Debian/Ubuntu), brew install redis (macOS);
          - point %s at a redis-server or valkey-server binary;
          - keep the com.github.codemonstur:embedded-redis test dependency, which ships binaries for
            Linux (amd64, arm64, 386) and macOS (amd64, arm64).
        These tests never skip: a Redis-backed primitive is only tested against a real server."""
        .formatted(tried.isEmpty() ? "nothing" : String.join("; ", tried), ENV));
  }

  /** Runs {@code --version}; returns the version when it is 6.2+, else records why not and returns null. */
  private static String versionOf(Path binary, List<String> tried) {
    try {
      Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        tried.add(binary + " (--version did not finish)");
        return null;
      }
      Matcher m = VERSION.matcher(output);
      if (!m.find()) {
        tried.add(binary + " (unexpected --version output: " + output + ")");
        return null;
      }
      int major = Integer.parseInt(m.group(1));
      int minor = Integer.parseInt(m.group(2));
      if (major < 6 || (major == 6 && minor < 2)) {
        tried.add(binary + " (version " + m.group() + " is older than 6.2)");
        return null;
      }
      return m.group(1) + "." + m.group(2) + "." + m.group(3);
    } catch (IOException e) {
      tried.add(binary + " (" + e.getMessage() + ")");
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking " + binary, e);
    }
  }

  /** The resource names embedded-redis uses for this platform, newest first. */
  private static List<String> embeddedResourceNames() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean arm = arch.equals("aarch64") || arch.equals("arm64");
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    if (os.contains("linux")) {
      if (x64) {
        return List.of("redis-server-6.2.6-v5-linux-amd64");
      }
      if (arm) {
        return List.of("redis-server-6.2.7-linux-arm64");
      }
      if (arch.equals("x86") || arch.equals("i386") || arch.equals("i686")) {
        return List.of("redis-server-6.2.7-linux-386");
      }
    } else if (os.contains("mac")) {
      return List.of(arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64");
    }
    return List.of();
  }

  private static Path extractEmbedded(Function<String, InputStream> resources, List<String> tried) {
    List<String> names = embeddedResourceNames();
    if (names.isEmpty()) {
      tried.add("embedded-redis (no binary for " + System.getProperty("os.name") + "/"
          + System.getProperty("os.arch") + ")");
      return null;
    }
    for (String name : names) {
      try (InputStream in = resources.apply(name)) {
        if (in == null) {
          tried.add("embedded-redis resource /" + name + " (not on the test class path)");
          continue;
        }
        byte[] bytes = in.readAllBytes();
        Path dir = Path.of(System.getProperty(BINARY_DIR_PROPERTY,
            Path.of("target", "redis-binary").toAbsolutePath().toString()));
        Files.createDirectories(dir);
        Path target = dir.resolve(name + "-" + bytes.length);
        if (!Files.isExecutable(target) || Files.size(target) != bytes.length) {
          // several test JVMs may extract at once: write aside, then move into place
          Path temp = Files.createTempFile(dir, name, ".part");
          Files.write(temp, bytes);
          if (!temp.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + temp + " executable");
          }
          try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
        return target;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot extract the embedded redis-server " + name, e);
      }
    }
    return null;
  }

  /**
   * The major version, e.g. 7 for {@code "7.0.15"}.
   *
   * @return the number before the first dot
   */
  public int majorVersion() {
    return Integer.parseInt(version.substring(0, version.indexOf('.')));
  }

  @Override
  public String toString() {
    return "redis-server " + version + " at " + path + " (from " + origin + ")";
  }
}
