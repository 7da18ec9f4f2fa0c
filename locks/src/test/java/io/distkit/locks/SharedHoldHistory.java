package io.distkit.locks;

import io.distkit.core.testing.HoldHistory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A history of holds of a semaphore's permits or a read-write lock's sides, and its checker: never more than the
 * permits at once, a writer never beside anyone, and a hold that began after an exclusive one ended (or an exclusive
 * one that began after another hold ended) carries a newer token. Times are as each holder observed them
 * ({@link HoldHistory#nowMicros()}), so an overlap found here is one the holders could have acted on.
 */
public final class SharedHoldHistory {

  /**
   * One hold.
   *
   * @param hold who, token and times
   * @param exclusive whether it was a writer's
   */
  public record Entry(HoldHistory.Hold hold, boolean exclusive) {}

  private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

  public void record(HoldHistory.Hold hold, boolean exclusive) {
    entries.add(new Entry(hold, exclusive));
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  /**
   * The most holds at once.
   *
   * @return the peak of concurrent holds
   */
  public int peak() {
    return sweep(Integer.MAX_VALUE, new ArrayList<>());
  }

  /**
   * Checks the history.
   *
   * @param permits how many holds may overlap
   * @return what went wrong; empty when the history is correct
   */
  public List<String> check(int permits) {
    List<String> violations = new ArrayList<>();
    sweep(permits, violations);
    List<Entry> all = entries();
    for (Entry a : all) {
      for (Entry b : all) {
        if ((a.exclusive() || b.exclusive()) && a.hold().endMicros() < b.hold().startMicros()
            && !b.hold().token().isNewerThan(a.hold().token())) {
          violations.add("token order: " + b + " began after " + a + " ended");
        }
      }
    }
    return violations;
  }

  /** Walks the starts and ends in time order; returns the peak. */
  private int sweep(int permits, List<String> violations) {
    record Event(long micros, int delta, Entry entry) {}
    List<Event> events = new ArrayList<>();
    for (Entry e : entries) {
      events.add(new Event(e.hold().startMicros(), 1, e));
      events.add(new Event(e.hold().endMicros(), -1, e));
    }
    // at one instant, ends before starts: a hold that ends as another begins does not overlap it
    events.sort(Comparator.comparingLong(Event::micros).thenComparingInt(Event::delta));
    int active = 0;
    int exclusive = 0;
    int peak = 0;
    for (Event event : events) {
      active += event.delta();
      if (event.entry().exclusive()) {
        exclusive += event.delta();
      }
      peak = Math.max(peak, active);
      if (event.delta() > 0 && (active > permits || exclusive > 0 && active > 1)) {
        violations.add("overlap: " + active + " holds (" + exclusive + " exclusive) when " + event.entry()
            + " began");
      }
    }
    return peak;
  }
}
