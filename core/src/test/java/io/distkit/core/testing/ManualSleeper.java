package io.distkit.core.testing;

import io.distkit.core.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Sleeper} that does not wait: it advances a {@link ManualClock} by the requested time and records
 * each request, so a test of a blocking call runs instantly and can check how long it would have waited.
 * Honours interruption like a real sleep.
 */
public final class ManualSleeper implements Sleeper {

  private final ManualClock clock;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  /**
   * A sleeper that moves {@code clock}.
   *
   * @param clock the clock to advance
   */
  public ManualSleeper(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before sleeping " + nanos + " ns");
    }
    if (nanos > 0) {
      sleeps.add(Duration.ofNanos(nanos));
      clock.advance(Duration.ofNanos(nanos));
    }
  }

  /**
   * Every positive sleep requested so far, in order.
   *
   * @return the requested durations
   */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /**
   * The sum of every sleep requested so far.
   *
   * @return the total
   */
  public Duration total() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
