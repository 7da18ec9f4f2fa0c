package io.distkit.benchmarks.redis;

import io.distkit.core.testing.CommandStats;

/**
 * Two counters of a Redis server that together say what an operation cost it.
 *
 * <p>{@code INFO commandstats} counts every command Redis ran, including those a Lua script runs inside the
 * server ({@code redis.call}), which never cross the network: one {@code EVALSHA} of a script that does
 * {@code GET}, {@code SET} and {@code TIME} counts 4. What crossed the network is the number of requests the
 * server read from its clients, {@code total_reads_processed} of {@code INFO stats} (Redis 6.0+): one per
 * command for clients that wait for each reply before sending the next, as every client measured here does.
 *
 * @param requestsRead requests read from clients ({@code INFO stats}, {@code total_reads_processed})
 * @param commands commands run, per command name ({@code INFO commandstats})
 */
public record ServerCounters(long requestsRead, CommandStats commands) {

  /**
   * What happened since earlier counters.
   *
   * @param earlier counters read before
   * @return the differences
   */
  public ServerCounters minus(ServerCounters earlier) {
    return new ServerCounters(requestsRead - earlier.requestsRead, commands.minus(earlier.commands));
  }

  /**
   * Reads {@code total_reads_processed} out of an {@code INFO stats} reply.
   *
   * @param infoStats the reply
   * @return the count
   * @throws IllegalStateException when the server does not report it (Redis before 6.0)
   */
  static long requestsRead(String infoStats) {
    for (String line : infoStats.split("\r?\n")) {
      if (line.startsWith("total_reads_processed:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new IllegalStateException("INFO stats has no total_reads_processed (Redis 6.0 or newer reports it)");
  }
}
