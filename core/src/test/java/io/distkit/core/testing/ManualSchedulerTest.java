package io.distkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.session.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<String> log = new ArrayList<>();

  private Runnable note(String what) {
    return () -> log.add(what + "@" + Duration.ofNanos(clock.nanoTime() - start).toMillis());
  }

  private final long start = clock.nanoTime();

  @Test
  void advanceRunsEachTaskAtItsOwnDueTimeInOrder() {
    scheduler.schedule(note("b"), 200, TimeUnit.MILLISECONDS);
    scheduler.schedule(note("a"), 100, TimeUnit.MILLISECONDS);
    scheduler.schedule(note("c"), 300, TimeUnit.MILLISECONDS);
    assertThat(scheduler.advance(Duration.ofMillis(250))).isEqualTo(2);
    assertThat(log).containsExactly("a@100", "b@200");
    assertThat(clock.nanoTime() - start).isEqualTo(Duration.ofMillis(250).toNanos());
    assertThat(scheduler.nextDue()).contains(Duration.ofMillis(50));
  }

  @Test
  void executedTasksWaitForRunDueAndNeverRunOnSubmission() {
    scheduler.execute(note("x"));
    assertThat(log).isEmpty();
    assertThat(scheduler.runDue()).isEqualTo(1);
    assertThat(log).containsExactly("x@0");
  }

  @Test
  void aFixedDelayScheduleRunsOncePerPeriodAsTimePasses() {
    Scheduler.Task task = scheduler.scheduleWithFixedDelay(note("tick"), Duration.ofMillis(100),
        Duration.ofMillis(100));
    scheduler.advance(Duration.ofMillis(350));
    assertThat(log).containsExactly("tick@100", "tick@200", "tick@300");
    task.cancel();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(log).hasSize(3);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void advancingTheClockDirectlyRunsWhatIsDueThen() throws InterruptedException {
    scheduler.schedule(note("a"), 100, TimeUnit.MILLISECONDS);
    scheduler.schedule(note("b"), 500, TimeUnit.MILLISECONDS);
    clock.advance(Duration.ofMillis(150));
    assertThat(log).containsExactly("a@150");
    new ManualSleeper(clock).sleep(Duration.ofMillis(400).toNanos());
    assertThat(log).containsExactly("a@150", "b@550");
  }

  @Test
  void aTaskThatThrowsIsRecordedAndOthersStillRun() {
    scheduler.schedule(() -> {
      throw new IllegalStateException("expected by the test");
    }, 10, TimeUnit.MILLISECONDS);
    scheduler.schedule(note("after"), 20, TimeUnit.MILLISECONDS);
    scheduler.advance(Duration.ofMillis(30));
    assertThat(scheduler.failures()).singleElement().isInstanceOf(IllegalStateException.class);
    assertThat(log).containsExactly("after@20");
  }

  @Test
  void tasksScheduledByTasksRunWhenDue() {
    scheduler.schedule(() -> {
      log.add("first");
      scheduler.schedule(note("second"), 50, TimeUnit.MILLISECONDS);
      scheduler.execute(note("now"));
    }, 10, TimeUnit.MILLISECONDS);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(log).containsExactly("first", "now@10", "second@60");
  }
}
