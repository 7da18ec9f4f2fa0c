package io.distkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HashingReportTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsARowPerAlgorithmWithMovementNextToTheMinimum() {
    assertThat(HashingReport.run(out, "--nodes", "8", "--keys", "20000", "--seed", "7")).isZero();
    assertThat(output()).contains("8 nodes of weight 1, 20,000 keys (LocatorAnalysis.sampleKeys(20000, 7))")
        .contains("| RING | 160 vnodes per weight | 23.1 KiB |", "| KETAMA |", "| JUMP | remove the last node | 0 B |",
            "| JUMP | remove another node |", "| RENDEZVOUS |", "| MAGLEV | M = 65537 | 256.0 KiB |",
            "| bounded loads | RING, c = 1.1 |", "## Ring balance by virtual nodes (100 nodes)",
            "## Maglev balance by table size (100 nodes)", "## Maglev movement by node count (default table size)",
            "| 1,000 | 65,537 | 65 |", "| 1,000 | 131,101 | 131 |", "## Maglev movement at 1,000 nodes by table size");
    // for ring and rendezvous, the keys that move are exactly the changed node's: moved equals its share
    for (String algorithm : new String[] {"RING", "RENDEZVOUS"}) {
      // the row's last four cells: moved and share on adding, moved and share on removing
      Matcher row = Pattern.compile("^\\| " + algorithm + " \\|.*\\| ([\\d.]+)% \\| ([\\d.]+)% \\| ([\\d.]+)% \\| "
          + "([\\d.]+)% \\|$", Pattern.MULTILINE).matcher(output());
      assertThat(row.find()).as(algorithm).isTrue();
      assertThat(row.group(1)).isEqualTo(row.group(2));
      assertThat(row.group(3)).isEqualTo(row.group(4));
    }
    // bounded loads hold their bound
    Matcher bounded = Pattern.compile("\\| bounded loads \\| RING, c = ([\\d.]+) \\| [^|]+ \\| ([\\d.]+) \\|")
        .matcher(output());
    while (bounded.find()) {
      assertThat(Double.parseDouble(bounded.group(2))).isLessThanOrEqualTo(Double.parseDouble(bounded.group(1)));
    }
  }

  @Test
  void badArgumentsPrintUsage() {
    assertThat(HashingReport.run(out, "--keys", "5")).isEqualTo(2);
    assertThat(output()).contains("error: --keys (5) must be between 100 and 100000000", "usage: HashingReport");
    printed.reset();
    assertThat(HashingReport.run(out, "--nodes")).isEqualTo(2);
    assertThat(output()).contains("error: --nodes needs a value");
    printed.reset();
    assertThat(HashingReport.run(out, "--fast")).isEqualTo(2);
    assertThat(output()).contains("error: unknown argument '--fast'");
  }
}
