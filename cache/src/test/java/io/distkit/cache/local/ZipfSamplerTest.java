package io.distkit.cache.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hit-rate test's Zipf generator draws what Zipf's law says, against probabilities computed here. */
class ZipfSamplerTest {

  private static final int SAMPLES = 2_000_000;

  /** k^-s / H(n, s), summed from the smallest term up (not the sampler's order). */
  private static double[] theory(int n, double exponent) {
    double harmonic = 0;
    for (int k = n; k >= 1; k--) {
      harmonic += Math.pow(k, -exponent);
    }
    double[] p = new double[n + 1];
    for (int k = 1; k <= n; k++) {
      p[k] = Math.pow(k, -exponent) / harmonic;
    }
    return p;
  }

  private static long[] draw(ZipfSampler sampler, int n, long seed) {
    long[] counts = new long[n + 1];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < SAMPLES; i++) {
      counts[sampler.next(random)]++; // a rank outside 1..n would throw here
    }
    return counts;
  }

  @Test
  void headRanksAndDecadesMatchZipfsLaw() {
    int n = 100_000;
    double exponent = 0.9;
    double[] p = theory(n, exponent);
    long[] counts = draw(new ZipfSampler(n, exponent), n, 7);

    // rank 1 has p = 0.045, rank 10 p = 0.0057 (about 11,000 draws: 3% is over 3 standard deviations); a wrong
    // exponent (1.0: p1 = 0.083) or a rank off by one (p1 / p2 = 1.87) is far outside
    for (int k = 1; k <= 10; k++) {
      double observed = (double) counts[k] / SAMPLES;
      assertThat(observed).as("rank %d", k).isCloseTo(p[k], within(p[k] * 0.03));
    }
    // the mass of each decade of ranks (1-10, 11-100, ..., 10,001-100,000), the tail included
    for (int low = 1; low <= n; low *= 10) {
      int high = Math.min(n, low == 1 ? 10 : low * 10);
      int from = low == 1 ? 1 : low + 1;
      double expected = 0;
      long seen = 0;
      for (int k = from; k <= high; k++) {
        expected += p[k];
        seen += counts[k];
      }
      assertThat((double) seen / SAMPLES).as("ranks %d-%d", from, high).isCloseTo(expected, within(expected * 0.01));
      if (high == n) {
        break;
      }
    }
    assertThat(counts[0]).isZero();
  }

  @Test
  void cumulativeProbabilityIsTheHeadsMass() {
    int n = 100_000;
    double[] p = theory(n, 0.9);
    ZipfSampler sampler = new ZipfSampler(n, 0.9);
    double head = 0;
    for (int k = 1; k <= n; k++) {
      head += p[k];
      if (k == 1 || k == 1_000 || k == 10_000 || k == n) {
        assertThat(sampler.cumulativeProbability(k)).as("ranks up to %d", k).isCloseTo(head, within(1e-9));
      }
    }
  }

  @Test
  void exponentZeroIsUniformAndOneRankIsAlwaysDrawn() {
    long[] counts = draw(new ZipfSampler(4, 0), 4, 11);
    for (int k = 1; k <= 4; k++) {
      assertThat((double) counts[k] / SAMPLES).as("rank %d", k).isCloseTo(0.25, within(0.005));
    }
    assertThat(draw(new ZipfSampler(1, 1.2), 1, 3)[1]).isEqualTo(SAMPLES);
  }

  @Test
  void badParametersAreNamed() {
    assertThatThrownBy(() -> new ZipfSampler(0, 1)).hasMessageContaining("n (0)");
    assertThatThrownBy(() -> new ZipfSampler(10, -0.5)).hasMessageContaining("exponent (-0.5)");
    assertThatThrownBy(() -> new ZipfSampler(10, Double.NaN)).hasMessageContaining("exponent (NaN)");
  }
}
