package io.distkit.benchmarks.profile;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.redis.ServerCounters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * What each operation cost the Redis of a benchmark that has a {@link BenchmarkRedis} open, from the server's
 * {@linkplain ServerCounters counters} read before and after each iteration, divided by all the operations JMH
 * counted in it (warm-up and wind-down edges included, which is what the server saw):
 * <ul>
 *   <li>{@value #SENT}: commands sent by the clients, i.e. round trips (requests the server read);
 *   <li>{@value #RUN}: commands Redis ran, those inside scripts included ({@code INFO commandstats}, less the
 *       {@code INFO} that reads it), and per command {@value #RUN_PREFIX}{@code <name>}.
 * </ul>
 * Reading the counters adds about four requests per iteration, nothing per operation.
 *
 * <p>An iteration that starts before the trial opened its Redis (the first warm-up iteration) or that runs on
 * a Redis the benchmark did not start reports nothing. The last iteration ends after JMH tore the trial down;
 * its figures come from the counters {@link BenchmarkRedis} kept when it closed. The suite enables this
 * profiler for every run.
 */
public final class RedisCommandsProfiler implements InternalProfiler {

  /** The label of commands sent per operation. */
  public static final String SENT = "redis.commands.sent.norm";

  /** The label of commands run per operation. */
  public static final String RUN = "redis.commands.run.norm";

  /** The label prefix of one command's calls per operation. */
  public static final String RUN_PREFIX = "redis.commands.run.norm.";

  /** The unit of every result. */
  public static final String UNIT = "commands/op";

  private @Nullable BenchmarkRedis redis;
  private @Nullable ServerCounters before;

  /** Called by JMH. */
  public RedisCommandsProfiler() {}

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    BenchmarkRedis open = BenchmarkRedis.current();
    redis = open != null && open.isOpen() && open.countsCommands() ? open : null;
    before = redis != null ? redis.counters() : null;
  }

  @Override
  @SuppressWarnings("rawtypes") // InternalProfiler's signature uses JMH's raw Result
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    BenchmarkRedis open = redis;
    ServerCounters start = before;
    redis = null;
    before = null;
    long ops = result.getMetadata().getAllOps();
    if (open == null || start == null || ops == 0) {
      return List.of();
    }
    ServerCounters cost = open.counters().minus(start);
    List<Result<?>> results = new ArrayList<>();
    results.add(new ScalarResult(SENT, (double) cost.requestsRead() / ops, UNIT, AggregationPolicy.AVG));
    results.add(new ScalarResult(RUN, (double) cost.commands().total() / ops, UNIT, AggregationPolicy.AVG));
    for (Map.Entry<String, Long> command : cost.commands().calls().entrySet()) {
      if (!command.getKey().equals("info")) {
        results.add(new ScalarResult(RUN_PREFIX + command.getKey(), (double) command.getValue() / ops, UNIT,
            AggregationPolicy.AVG));
      }
    }
    return results;
  }

  @Override
  public String getDescription() {
    return "Redis commands sent and run per operation, from the benchmark's own redis-server's INFO";
  }
}
