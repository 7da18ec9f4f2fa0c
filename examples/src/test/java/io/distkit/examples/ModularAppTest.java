package io.distkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.RedisExtension;
import io.distkit.core.testing.RedisServerProcess;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compiles and runs tiny modular applications (their sources are under {@code src/test/modular-app}) on the
 * module path, with nothing but {@code java -p ... -m ...}: no {@code --add-modules}, no {@code --add-reads}.
 * This is what checks distkit's module descriptors: a missing {@code requires} or {@code exports} fails here,
 * while the rest of the suite runs on the class path.
 */
@ExtendWith(RedisExtension.class)
class ModularAppTest {

  private static final Path SOURCES = Path.of("src", "test", "modular-app");
  private static final Path WORK = Path.of("target", "modular-app");

  /** distkit's own jars (or, under {@code mvn test}, their classes folders); never the test-jar. */
  private static final Pattern DISTKIT = Pattern.compile(
      ".*(distkit-(core|ratelimit|hashing)-[^/]*(?<!-tests)\\.jar|/(core|ratelimit|hashing)/target/classes/?)$");

  /** What the local app needs from the class path of this test: distkit and its required dependencies. */
  private static final Pattern LOCAL_DEPENDENCIES = Pattern.compile(".*/(caffeine|slf4j-api|slf4j-simple|jspecify)-[^/]*\\.jar$");

  /** Jedis and what it needs at run time. */
  private static final Pattern JEDIS = Pattern.compile(".*/(jedis|commons-pool2|gson|json|redis-authx-core)-[^/]*\\.jar$");

  @Test
  void anAppThatUsesOnlyLocalImplementationsRunsWithoutJedisOnItsModulePath() throws Exception {
    List<String> modulePath = testClassPath(DISTKIT, LOCAL_DEPENDENCIES);
    assertThat(modulePath).as("nothing of Jedis").noneMatch(p -> p.contains("jedis"));
    Path classes = compile("local", "app.local", modulePath);

    String out = run(classes, modulePath, "app.local/app.LocalMain");

    assertThat(out.lines()).containsExactly("ratelimit YYn from module io.distkit.ratelimit",
        "hashing 2 replicas from module io.distkit.hashing");
  }

  @Test
  void anAppThatUsesRedisRunsWithJedisAsItsOwnRequirement(RedisServerProcess redis) throws Exception {
    List<String> modulePath = testClassPath(DISTKIT, LOCAL_DEPENDENCIES, JEDIS);
    Path classes = compile("redis", "app.redis", modulePath);

    String out = run(classes, modulePath, "app.redis/app.RedisMain", redis.uri());

    assertThat(out.lines()).containsExactly("redis ratelimit YYn from module io.distkit.ratelimit",
        "redis membership me from module io.distkit.hashing");
  }

  private static Path compile(String app, String module, List<String> modulePath) throws IOException {
    Path out = WORK.resolve(app);
    deleteRecursively(out); // javac prefers class files newer than their sources: never compile over old ones
    Files.createDirectories(out);
    List<String> sources;
    try (Stream<Path> files = Files.walk(SOURCES.resolve(app))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).collect(Collectors.toList());
    }
    List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path",
        String.join(File.pathSeparator, modulePath), "--module-source-path", SOURCES.resolve(app).toString(),
        "--module", module, "-Xlint:all,-requires-automatic", "-Werror"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    boolean ok = javac.getTask(errors, null, null, args, null, null).call();
    assertThat(ok).as("javac " + String.join(" ", args) + "\n" + errors + "\nsources " + sources).isTrue();
    return out;
  }

  private static String run(Path classes, List<String> modulePath, String main, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-p", classes + File.pathSeparator + String.join(File.pathSeparator, modulePath),
        "-m", main));
    command.addAll(Arrays.asList(args));
    Path log = classes.resolve("run.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the modular app did not finish in 60 s: " + command);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** The entries of this test's class path that match any of the patterns. */
  private static List<String> testClassPath(Pattern... wanted) {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> found = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      String normalised = entry.replace(File.separatorChar, '/');
      if (Arrays.stream(wanted).anyMatch(p -> p.matcher(normalised).matches())) {
        found.add(entry);
      }
    }
    assertThat(found).as("class path " + classPath).isNotEmpty();
    return found;
  }
}
