package io.distkit.pool.jobs.redis;

import io.distkit.core.DistkitException;
import io.distkit.core.session.Backoff;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What Java reads of a job's header (format 1: comma-separated text the scripts parse and write, after a version
 * byte in Redis: {@code attempt,maxAttempts,token,submittedUs,deadlineUs,score,dueUs,backoff,group}). The scripts
 * alone use the attempts' bound, the times of submission and deadline, and the ready score.
 *
 * @param attempt attempts started (0 before the first)
 * @param token the last attempt's fencing token (0 before the first)
 * @param dueMicros when it became (or becomes) due: submitted, or its delay or backoff over, or given back
 * @param backoffText the pause before each retry, as {@link #javaPart} wrote it: read by {@link #backoff()} only
 *     when an attempt fails (a claim of many jobs parses no backoff)
 * @param group the job's group, or null
 */
record JobHeader(int attempt, long token, long dueMicros, String backoffText, @Nullable String group) {

  /**
   * A header as a script returns it (without the version byte).
   *
   * @param text {@code attempt,max,token,submitted,deadline,score,due,backoff,group}
   * @return the header
   */
  static JobHeader parse(byte[] text) {
    String body = new String(text, StandardCharsets.UTF_8);
    String[] fields = body.split(",", 9);
    if (fields.length != 9) {
      throw new DistkitException("unreadable job header (format 1 expected): " + body);
    }
    return new JobHeader(Integer.parseInt(fields[0]), Long.parseLong(fields[2]), Long.parseLong(fields[6]), fields[7],
        fields[8].isEmpty() ? null : fields[8]);
  }

  /**
   * The fencing token of a header that may not parse as a whole (its third field).
   *
   * @param text a header as a script returns it
   * @return the token, or empty when even that cannot be read
   */
  static OptionalLong tokenOf(byte[] text) {
    String[] fields = new String(text, StandardCharsets.UTF_8).split(",", 4);
    try {
      return fields.length < 4 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[2]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The retry policy's backoff.
   *
   * @return the pause before each retry
   */
  Backoff backoff() {
    return backoff(backoffText);
  }

  /**
   * The part of a header only Java reads, as a submission writes it.
   *
   * @param backoff the retry policy's backoff
   * @param group the job's group, or null
   * @return {@code initialNanos|capNanos|multiplier|jitter,group}
   */
  static String javaPart(Backoff backoff, @Nullable String group) {
    return backoff.initial().toNanos() + "|" + backoff.cap().toNanos() + "|" + backoff.multiplier() + "|"
        + backoff.jitter().name() + "," + (group == null ? "" : group);
  }

  private static Backoff backoff(String text) {
    String[] parts = text.split("\\|");
    if (parts.length != 4) {
      throw new DistkitException("unreadable backoff in a job header: " + text);
    }
    return Backoff.exponential(Duration.ofNanos(Long.parseLong(parts[0])), Duration.ofNanos(Long.parseLong(parts[1])))
        .withMultiplier(Double.parseDouble(parts[2])).withJitter(Backoff.Jitter.valueOf(parts[3]));
  }
}
