package io.distkit.core.testing;

import io.distkit.core.session.FencingToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A history of exclusive holds (of a lock, a leader's term, a single permit) and its checker: no two holds
 * overlap in time, and fencing tokens strictly increase in the order holds began. Times are what each holder
 * observed: the start after its acquire returned, the end before it released (or when its lease could have
 * run out), so an overlap found here is one the holders could have acted on.
 *
 * <p>Times from several JVMs on one machine compare by wall clock in microseconds
 * ({@code System.currentTimeMillis() * 1000} is too coarse; use {@link #nowMicros()}). Thread-safe.
 */
public final class HoldHistory {

  /**
   * One hold.
   *
   * @param holder who held it
   * @param token the token granted with it
   * @param startMicros when the holder learnt it held it
   * @param endMicros when it stopped relying on it
   */
  public record Hold(String holder, FencingToken token, long startMicros, long endMicros) {

    /**
     * The hold as {@link HistoryFile} fields.
     *
     * @return {@code ["hold", holder, token, start, end]}
     */
    public String[] fields() {
      return new String[] {"hold", holder, Long.toString(token.value()), Long.toString(startMicros),
          Long.toString(endMicros)};
    }

    /**
     * Reads a hold back from {@link #fields()}.
     *
     * @param fields the event
     * @return the hold
     */
    public static Hold of(List<String> fields) {
      if (fields.size() != 5 || !fields.get(0).equals("hold")) {
        throw new IllegalArgumentException("not a hold: " + fields);
      }
      return new Hold(fields.get(1), new FencingToken(Long.parseLong(fields.get(2))), Long.parseLong(fields.get(3)),
          Long.parseLong(fields.get(4)));
    }
  }

  /**
   * A violation found by {@link #check()}.
   *
   * @param kind {@code "overlap"} or {@code "token order"}
   * @param first the earlier hold
   * @param second the later hold
   */
  public record Violation(String kind, Hold first, Hold second) {}

  private static final long ANCHOR_NANOS = System.nanoTime();
  /** The wall clock at the anchor, to the microsecond ({@code Instant.now()} reads it so on Linux). */
  private static final long ANCHOR_MICROS = anchorMicros();

  private static long anchorMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final List<Hold> holds = new ArrayList<>();

  /**
   * This JVM's wall-clock time in microseconds, advancing with its monotonic clock (comparable across JVMs on
   * one machine to within a few microseconds: each anchors it to the wall clock read to the microsecond).
   *
   * @return microseconds since the epoch
   */
  public static long nowMicros() {
    return ANCHOR_MICROS + (System.nanoTime() - ANCHOR_NANOS) / 1000;
  }

  /**
   * Records a hold.
   *
   * @param hold the hold
   */
  public void record(Hold hold) {
    lock.lock();
    try {
      holds.add(hold);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Every hold recorded.
   *
   * @return a copy, in recording order
   */
  public List<Hold> holds() {
    lock.lock();
    try {
      return List.copyOf(holds);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Checks the history.
   *
   * @return overlapping holds and tokens out of order; empty when the history is correct
   */
  public List<Violation> check() {
    List<Hold> byStart = new ArrayList<>(holds());
    byStart.sort(Comparator.comparingLong(Hold::startMicros));
    List<Violation> violations = new ArrayList<>();
    Hold latestEnding = null;
    for (int i = 0; i < byStart.size(); i++) {
      Hold hold = byStart.get(i);
      if (latestEnding != null && hold.startMicros() < latestEnding.endMicros()) {
        violations.add(new Violation("overlap", latestEnding, hold));
      }
      if (i > 0 && !hold.token().isNewerThan(byStart.get(i - 1).token())) {
        violations.add(new Violation("token order", byStart.get(i - 1), hold));
      }
      if (latestEnding == null || hold.endMicros() > latestEnding.endMicros()) {
        latestEnding = hold;
      }
    }
    return violations;
  }
}
