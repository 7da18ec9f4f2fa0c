package io.distkit.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;

/**
 * What the lock services' contract suites share: a {@link ManualClock} with a {@link ManualScheduler} on it, a
 * unique name, services opened on them and closed after each test, and threads for callers that wait.
 */
public abstract class LockServiceHarness {

  protected final ManualClock clock = new ManualClock();
  protected final ManualScheduler scheduler = new ManualScheduler(clock);
  protected final String name = TestKeys.unique("lock");
  private final List<AutoCloseable> opened = new ArrayList<>();
  protected final ExecutorService callers = Executors.newCachedThreadPool();

  /**
   * A builder of the service under test, with nothing set: the test sets the clock and scheduler.
   *
   * @return a builder
   */
  protected abstract LockServiceBuilder<?> newBuilder();

  protected LockService open(LockServiceBuilder<?> builder) {
    LockService service = closeAfter(builder.clock(clock).scheduler(scheduler).build());
    ready(service);
    return service;
  }

  /**
   * Waits until a new service is ready to hear hand-offs (a Redis service's notification channel is subscribed).
   *
   * @param service the service just built
   */
  protected void ready(LockService service) {}

  protected LockService open() {
    return open(newBuilder());
  }

  /**
   * Closes {@code resource} after the test, before the scheduler (the last given first).
   *
   * @param resource a service, a client
   * @return the resource
   */
  protected <T extends AutoCloseable> T closeAfter(T resource) {
    opened.add(resource);
    return resource;
  }

  @AfterEach
  void closeAll() throws Exception {
    callers.shutdownNow();
    // last opened first: a service before the client it was built on
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    scheduler.close();
  }

  protected static LockHandle held(Optional<LockHandle> granted) {
    assertThat(granted).as("granted").isPresent();
    return granted.orElseThrow();
  }

  protected static <T> T done(Future<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  /**
   * Starts a caller, and returns once the waiters counted by {@code waiters} are one more than before.
   *
   * @param waiters how many wait now
   * @param call the caller's call
   * @return the caller's outcome
   */
  protected <T> Future<T> waitInLine(IntSupplier waiters, Callable<T> call) {
    int before = waiters.getAsInt();
    Future<T> caller = callers.submit(call);
    await().atMost(Duration.ofSeconds(10)).until(() -> waiters.getAsInt() == before + 1);
    return caller;
  }
}
