package io.distkit.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The default scheduler: real threads, so real (short) time passes here; Awaitility waits for it. */
class SchedulerTest {

  @Test
  void runsATaskOnceAfterItsDelayOnANamedDaemonThread() {
    try (Scheduler scheduler = Scheduler.create("test")) {
      List<Thread> ranOn = new CopyOnWriteArrayList<>();
      long start = System.nanoTime();
      scheduler.schedule(() -> ranOn.add(Thread.currentThread()), 50, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> ranOn.size() == 1);
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
      assertThat(ranOn.get(0).getName()).startsWith("distkit-test-worker-");
      assertThat(ranOn.get(0).isDaemon()).isTrue();
    }
  }

  @Test
  void executeNeverRunsOnTheCallersThread() throws InterruptedException {
    try (Scheduler scheduler = Scheduler.create("test")) {
      CountDownLatch done = new CountDownLatch(1);
      Thread caller = Thread.currentThread();
      List<Thread> ranOn = new CopyOnWriteArrayList<>();
      scheduler.execute(() -> {
        ranOn.add(Thread.currentThread());
        done.countDown();
      });
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(ranOn).doesNotContain(caller);
    }
  }

  @Test
  void aCancelledTaskNeverRuns() throws InterruptedException {
    try (Scheduler scheduler = Scheduler.create("test")) {
      AtomicInteger runs = new AtomicInteger();
      Scheduler.Task task = scheduler.schedule(runs::incrementAndGet, 100, TimeUnit.MILLISECONDS);
      task.cancel();
      CountDownLatch later = new CountDownLatch(1);
      scheduler.schedule(later::countDown, 300, TimeUnit.MILLISECONDS);
      assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(runs).hasValue(0);
    }
  }

  @Test
  void aFixedDelayScheduleRepeatsNeverOverlapsAndSurvivesATaskThatThrows() {
    try (Scheduler scheduler = Scheduler.create("test")) {
      AtomicInteger runs = new AtomicInteger();
      AtomicInteger concurrent = new AtomicInteger();
      AtomicInteger maxConcurrent = new AtomicInteger();
      Scheduler.Task task = scheduler.scheduleWithFixedDelay(() -> {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
          if (runs.incrementAndGet() == 2) {
            throw new IllegalStateException("boom (expected by the test)");
          }
        } finally {
          concurrent.decrementAndGet();
        }
      }, Duration.ZERO, Duration.ofMillis(5));
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 5);
      task.cancel();
      int afterCancel = runs.get();
      CountDownLatch later = new CountDownLatch(1);
      scheduler.schedule(later::countDown, 100, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> later.getCount() == 0);
      assertThat(runs.get()).isLessThanOrEqualTo(afterCancel + 1);
      assertThat(maxConcurrent).hasValue(1);
    }
  }

  @Test
  void closeInterruptsBlockingTasksAndIgnoresLaterWork() throws InterruptedException {
    Scheduler scheduler = Scheduler.create("closing");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    List<String> names = new CopyOnWriteArrayList<>();
    scheduler.executeBlocking("reader", () -> {
      names.add(Thread.currentThread().getName());
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(names.get(0)).startsWith("distkit-closing-reader-");
    scheduler.close();
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("blocking task interrupted").isTrue();
    AtomicInteger runs = new AtomicInteger();
    scheduler.execute(runs::incrementAndGet);
    scheduler.schedule(runs::incrementAndGet, 1, TimeUnit.MILLISECONDS);
    scheduler.close(); // idempotent
    Thread.sleep(100); // nothing may run: there is nothing to wait for, only a window to give it
    assertThat(runs).hasValue(0);
  }

  @Test
  void theSharedSchedulerIsOneAndIgnoresClose() throws InterruptedException {
    Scheduler shared = Scheduler.shared();
    assertThat(Scheduler.shared()).isSameAs(shared);
    shared.close();
    CountDownLatch ran = new CountDownLatch(1);
    shared.execute(ran::countDown);
    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
