package io.distkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuoteTest {

  @Test
  void quotesPlainTextAsItIs() {
    assertThat(Quote.of("user-42")).isEqualTo("'user-42'");
    assertThat(Quote.of("")).isEqualTo("''");
    assertThat(Quote.of(null)).isEqualTo("null");
    assertThat(Quote.of("日本 \uD83D\uDE00")).isEqualTo("'日本 \uD83D\uDE00'");
  }

  @Test
  void escapesWhatWouldSplitALineOrHide() {
    assertThat(Quote.of("a\nb\r\tc")).isEqualTo("'a\\nb\\r\\tc'");
    assertThat(Quote.of("nul\0 del\u007f ls\u2028")).isEqualTo("'nul\\u0000 del\\u007F ls\\u2028'");
    assertThat(Quote.of("a\uD800")).isEqualTo("'a\\uD800'");
    assertThat(Quote.of("\uDC00\uD800")).isEqualTo("'\\uDC00\\uD800'");
  }

  @Test
  void cutsLongValuesWithoutSplittingAPair() {
    assertThat(Quote.of("x".repeat(41))).isEqualTo("'" + "x".repeat(40) + "...' (41 chars)");
    String pairAtTheCut = "x".repeat(39) + "\uD83D\uDE00" + "tail";
    assertThat(Quote.of(pairAtTheCut)).isEqualTo("'" + "x".repeat(39) + "...' (45 chars)");
    assertThat(Quote.of("x".repeat(40))).isEqualTo("'" + "x".repeat(40) + "'");
  }
}
