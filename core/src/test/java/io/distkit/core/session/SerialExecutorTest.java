package io.distkit.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  @Test
  void tasksRunOneAtATimeInSubmissionOrderFromManyThreads() throws InterruptedException {
    try (Scheduler scheduler = Scheduler.create("serial-test")) {
      SerialExecutor serial = new SerialExecutor(scheduler);
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      List<Integer> order = new ArrayList<>(); // only touched by serial tasks
      int perThread = 2_000;
      int threads = 4;
      List<List<Integer>> submitted = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> submitters = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        List<Integer> mine = new ArrayList<>();
        submitted.add(mine);
        Thread submitter = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < perThread; i++) {
            int n = base + i;
            mine.add(n);
            serial.execute(() -> {
              if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              order.add(n);
              running.decrementAndGet();
            });
          }
        });
        submitters.add(submitter);
        submitter.start();
      }
      start.countDown();
      for (Thread submitter : submitters) {
        submitter.join(TimeUnit.SECONDS.toMillis(30));
      }
      CountDownLatch done = new CountDownLatch(1);
      serial.execute(done::countDown);
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(overlaps).hasValue(0);
      assertThat(order).hasSize(threads * perThread);
      for (List<Integer> mine : submitted) {
        // each thread's tasks ran in the order that thread submitted them
        assertThat(order.stream().filter(mine::contains).toList()).isEqualTo(mine);
      }
    }
  }

  @Test
  void underAManualSchedulerTasksWaitForRunDueAndAThrowingTaskDoesNotStopTheOthers() {
    ManualScheduler scheduler = new ManualScheduler(new ManualClock());
    SerialExecutor serial = new SerialExecutor(scheduler);
    List<String> ran = new ArrayList<>();
    serial.execute(() -> ran.add("a"));
    serial.execute(() -> {
      throw new IllegalStateException("expected by the test");
    });
    serial.execute(() -> ran.add("c"));
    assertThat(ran).isEmpty();
    scheduler.runDue();
    assertThat(ran).containsExactly("a", "c");
  }
}
