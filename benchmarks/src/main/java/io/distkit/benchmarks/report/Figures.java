package io.distkit.benchmarks.report;

import java.util.Locale;

/** How the report prints numbers: few significant digits, since every figure here is noisy. */
final class Figures {

  private Figures() {}

  /**
   * Three significant digits, without exponent for the magnitudes benchmarks produce.
   *
   * @param value the number
   * @return e.g. {@code 52.3}, {@code 0.0412}, {@code 1234}; {@code n/a} for NaN
   */
  static String significant(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    double abs = Math.abs(value);
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    if (abs >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    if (abs == 0) {
      return "0";
    }
    int decimals = Math.min(6, 2 - (int) Math.floor(Math.log10(abs)));
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /**
   * A count per operation (bytes, commands): two decimals below 100, none above.
   *
   * @param value the number
   * @return e.g. {@code 0.00}, {@code 1.00}, {@code 312}
   */
  static String perOp(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  /**
   * A ratio of two scores.
   *
   * @param value the ratio
   * @return e.g. {@code 1.83×}
   */
  static String ratio(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f×", value);
  }
}
