package io.distkit.examples;

import io.distkit.core.redis.RedisBackend;
import java.io.PrintStream;

/**
 * One module's part of the {@link Tour}. Each module adds one implementation and one line to
 * {@link Tour#SECTIONS}.
 */
interface TourSection {

  /**
   * Shows the module with its local implementations; needs no server.
   *
   * @param out where to print
   */
  void runLocal(PrintStream out);

  /**
   * Shows the module against Redis.
   *
   * @param out where to print
   * @param redis the Redis the user pointed the tour at
   * @param where a printable description of that Redis (host and port, never credentials)
   */
  void runRedis(PrintStream out, RedisBackend redis, String where);

  /**
   * Prints a section heading.
   *
   * @param out where to print
   * @param title the heading
   */
  static void heading(PrintStream out, String title) {
    out.println();
    out.println("== " + title + " ==");
  }
}
