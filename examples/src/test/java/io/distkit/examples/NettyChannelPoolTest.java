package io.distkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NettyChannelPoolTest {

  @Test
  void itsMainEchoesEveryLineOverAtMostTwoChannelsReplacesDroppedOnesAndExitsByItself() {
    List<String> lines;
    try (ChildJvm example = ChildJvm.start(NettyChannelPool.class)) {
      // in its own JVM: a Netty thread or a pool thread left running would keep it from exiting
      int exit = example.waitFor(Duration.ofSeconds(90));
      lines = example.output();
      assertThat(exit).as("exit code; output:%n%s", String.join("\n", lines)).isZero();
    }
    String output = String.join("\n", lines);
    assertThat(output).containsPattern("echo server on /127\\.0\\.0\\.1:\\d+");
    for (int sender = 1; sender <= 4; sender++) {
      for (int line = 1; line <= 2; line++) {
        String sent = "hello " + line + " from sender-" + sender;
        assertThat(output).containsPattern(Pattern.quote("sender-" + sender + ": '" + sent + "' -> 'echo: " + sent
            + "' (local port ") + "\\d+\\)");
      }
    }
    Matcher shared = Pattern.compile("8 lines from 4 senders over (\\d) channel\\(s\\): acquired 8, waited \\d, "
        + "idle now (\\d)").matcher(output);
    assertThat(shared.find()).as(output).isTrue();
    int channels = Integer.parseInt(shared.group(1));
    assertThat(channels).as("the pool's maximum").isBetween(1, 2);
    assertThat(Integer.parseInt(shared.group(2))).as("every channel given back").isEqualTo(channels);
    assertThat(output)
        .contains("the server dropped every connection; next borrow: 'echo: still there?' via a new channel")
        .contains("validation on borrow found " + channels + " closed channel(s) and the pool connected a new one: "
            + "created " + (channels + 1) + ", lent 9")
        .contains("closed: the pool closed " + (channels + 1) + " channel(s) of " + (channels + 1)
            + " created, 0 left")
        .doesNotContain("Exception");
  }
}
