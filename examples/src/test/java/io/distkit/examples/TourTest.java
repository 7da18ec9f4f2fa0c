package io.distkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.RedisExtension;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class TourTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runsLocallyWithoutAnyServer() {
    assertThat(Tour.run(out)).isZero();
    assertThat(output())
        .contains("== core: clock ==", "== core: codecs ==", "-> 'héllo, wörld'", "-42 -> '-42' -> -42")
        .contains("distkit:tour:{user:42}:visits", "distkit:tour:{a%7Db%7Bc}:visits")
        .contains("ratelimit: five algorithms", "SLIDING_WINDOW_COUNTER", "YYYYYnn")
        .contains("free:alice  4th request -> 429", "pro:bob     4th request -> 200")
        .contains("Local only");
  }

  @Test
  void runsTheRedisSectionsAgainstTheGivenRedis(RedisServerProcess redis) {
    assertThat(Tour.run(out, "--redis", redis.uri())).isZero();
    assertThat(output())
        .contains("core: a script round trip on Redis at 127.0.0.1:" + redis.port())
        .containsPattern("visit \\d+ at server time 20\\d\\d-")
        .contains("backend guard      UP, failures 0")
        .contains("ratelimit: the same limits on Redis at 127.0.0.1:" + redis.port())
        .containsPattern("TOKEN_BUCKET +YYYYYnn")
        .doesNotContain("Local only");
  }

  @Test
  void anUnreachableRedisIsReportedNotAHang() {
    RedisServerProcess dead = RedisServers.startStandalone();
    dead.kill();
    assertThat(Tour.run(out, "--redis", dead.uri())).isEqualTo(1);
    assertThat(output()).contains("error: Redis at 127.0.0.1:" + dead.port() + " is unavailable");
  }

  @Test
  void badArgumentsPrintUsageAndNeverEchoPasswords() {
    assertThat(Tour.run(out, "--redis")).isEqualTo(2);
    assertThat(output()).contains("--redis needs a URI", "usage: Tour");
    printed.reset();
    assertThat(Tour.run(out, "--redis", "http://user:s3cret@host:1")).isEqualTo(2);
    assertThat(output()).contains("must look like redis://host:port").doesNotContain("s3cret");
    printed.reset();
    assertThat(Tour.run(out, "--verbose")).isEqualTo(2);
    assertThat(output()).contains("unknown argument '--verbose'");
  }
}
