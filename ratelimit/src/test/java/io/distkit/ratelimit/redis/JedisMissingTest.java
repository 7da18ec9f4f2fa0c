package io.distkit.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JedisMissingTest {

  @Test
  void aRedisLimiterWithoutJedisOnTheClassPathSaysToAddIt() throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> withoutJedis = Arrays.stream(classPath.split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("jedis-"))
        .collect(Collectors.toList());
    assertThat(withoutJedis).hasSizeLessThan(classPath.split(File.pathSeparator).length);
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(File.pathSeparator, withoutJedis), NoJedisMain.class.getName())
        .redirectErrorStream(true).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(out.trim()).as(out)
        .startsWith("io.distkit.core.DistkitException: distkit's Redis implementations need Jedis on the class path")
        .contains("add the dependency redis.clients:jedis, version 8.0 or newer");
  }
}
