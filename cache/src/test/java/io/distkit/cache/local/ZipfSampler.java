package io.distkit.cache.local;

import java.util.SplittableRandom;

/**
 * Draws ranks 1..n with Zipf's law: rank k has probability k^-s / H(n, s), where H(n, s) is the sum of i^-s over
 * 1..n. Exact by inversion: the cumulative distribution is computed once (n doubles) and a draw is one uniform
 * number and a binary search. Immutable once built: threads may share it, each with its own random source.
 */
final class ZipfSampler {

  private final int n;
  private final double exponent;
  private final double[] cumulative;

  /**
   * A sampler over ranks 1..n.
   *
   * @param n how many ranks: at least 1
   * @param exponent the skew s: at least 0 (0: uniform)
   */
  ZipfSampler(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("n (" + n + ") must be at least 1");
    }
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("exponent (" + exponent + ") must be finite and at least 0");
    }
    this.n = n;
    this.exponent = exponent;
    this.cumulative = new double[n];
    double sum = 0;
    for (int k = 1; k <= n; k++) {
      sum += weight(k);
      cumulative[k - 1] = sum;
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= sum;
    }
    cumulative[n - 1] = 1.0; // so that rounding never leaves a uniform draw above the last rank
  }

  private double weight(int rank) {
    return Math.pow(rank, -exponent);
  }

  /**
   * The probability of a rank at most {@code rank}: what an ideal cache holding the {@code rank} likeliest keys
   * hits, and no cache that does not know the future can beat on independent draws.
   *
   * @param rank 1..n
   * @return H(rank, s) / H(n, s)
   */
  double cumulativeProbability(int rank) {
    return cumulative[rank - 1];
  }

  /**
   * Draws a rank.
   *
   * @param random the source of uniform numbers
   * @return the smallest rank k whose cumulative probability exceeds a uniform draw in [0, 1): 1..n
   */
  int next(SplittableRandom random) {
    double u = random.nextDouble();
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo + 1;
  }

  @Override
  public String toString() {
    return "Zipf(n=" + n + ", s=" + exponent + ")";
  }
}
