package io.distkit.ratelimit;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A random limit and a random sequence of requests against one key: the input of the property tests.
 *
 * @param limit the limit
 * @param steps each request, after advancing the clock
 */
record Scenario(RateLimit limit, List<Step> steps) {

  /**
   * One request.
   *
   * @param advanceMicros how far the clock moves first
   * @param permits how many permits the request asks for (sometimes more than the burst)
   */
  record Step(long advanceMicros, long permits) {}

  private static final List<Duration> PERIODS = List.of(Duration.ofMillis(1), Duration.ofMillis(3),
      Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(7), Duration.ofMinutes(1), Duration.ofDays(1));

  static Arbitrary<Scenario> any() {
    return Arbitraries.of(Algorithm.class).flatMap(Scenario::of);
  }

  static Arbitrary<Scenario> of(Algorithm algorithm) {
    Arbitrary<Bandwidth> bandwidth = Combinators.combine(
            Arbitraries.longs().between(1, 12),
            Arbitraries.of(PERIODS),
            Arbitraries.longs().between(1, 3))
        .as((limit, period, burstFactor) -> {
          Bandwidth bw = Bandwidth.of(limit, period);
          return algorithm.supportsBurst() ? bw.withBurst(Math.max(1, limit * burstFactor - burstFactor + 1)) : bw;
        });
    return bandwidth.list().ofMinSize(1).ofMaxSize(2).flatMap(bandwidths -> {
      RateLimit.Builder builder = RateLimit.builder(algorithm);
      bandwidths.forEach(builder::bandwidth);
      RateLimit limit = builder.build();
      long maxPeriod = bandwidths.stream().mapToLong(b -> b.period().toNanos() / 1000).max().orElseThrow();
      long minPeriod = bandwidths.stream().mapToLong(b -> b.period().toNanos() / 1000).min().orElseThrow();
      long maxBurst = bandwidths.stream().mapToLong(Bandwidth::burst).max().orElseThrow();
      Arbitrary<Long> advance = Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(3, Arbitraries.just(0L)),
          net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 1_000)),
          net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1, Math.max(1, minPeriod / 4))),
          net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 2 * maxPeriod)));
      Arbitrary<Step> step = Combinators.combine(advance, Arbitraries.longs().between(1, maxBurst + 1))
          .as(Step::new);
      return step.list().ofMinSize(1).ofMaxSize(40).map(steps -> new Scenario(limit, steps));
    });
  }
}
