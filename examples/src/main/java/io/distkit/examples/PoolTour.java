package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.core.redis.RedisBackend;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;
import io.distkit.pool.fleet.FleetCap;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolStats;
import io.distkit.pool.object.PoolTimeoutException;
import io.distkit.pool.object.PooledObjectFactory;
import io.distkit.pool.object.local.LocalObjectPool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The Tour's pool section: six callers share two slow-to-open connections and wait in line, a caller that cannot
 * be served in time is told who holds them; on Redis, two JVMs' pools share a fleet-wide cap of three.
 */
final class PoolTour implements TourSection {

  private static final Duration OPEN_TIME = Duration.ofMillis(100);
  private static final Duration USE_TIME = Duration.ofMillis(50);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Override
  public void runLocal(PrintStream out) {
    heading(out, "pool: six callers, two connections");
    Connections connections = new Connections("conn", out);
    ObjectPool<Connection> pool = LocalObjectPool.builder("tour", connections).maxSize(2).build();
    try {
      sixCallers(out, pool);
      timeout(out, pool);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pool.close();
    }
    out.println("closed: " + pool.stats().destroyed() + " connections closed, " + pool.stats().size() + " left");
  }

  /** Six callers borrow at once from a pool of two: they wait in line and share the two connections. */
  private static void sixCallers(PrintStream out, ObjectPool<Connection> pool) throws InterruptedException {
    out.println("6 callers borrow at once (each uses its connection " + USE_TIME.toMillis() + " ms); the pool "
        + "holds at most 2, each takes " + OPEN_TIME.toMillis() + " ms to open");
    ExecutorService callers = Executors.newFixedThreadPool(6, named("caller"));
    try {
      List<Future<String>> served = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        served.add(callers.submit(() -> {
          try (Lease<Connection> lease = pool.acquire(WAIT)) {
            Thread.sleep(USE_TIME.toMillis()); // the caller's query
            return lease.get().toString();
          }
        }));
      }
      Set<String> used = new TreeSet<>();
      for (Future<String> connection : served) {
        used.add(connection.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      }
      PoolStats stats = pool.stats();
      out.println("6 callers served by " + String.join(" and ", used) + ": created " + stats.created()
          + ", acquired " + stats.acquired() + ", waited " + stats.waited() + " (mean wait "
          + TimeUnit.NANOSECONDS.toMillis(stats.waitNanos() / Math.max(1, stats.waited())) + " ms)");
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("a caller was not served", e);
    } finally {
      callers.shutdownNow();
    }
  }

  /** Two jobs hold both connections: a caller with a short timeout is told who holds them. */
  private static void timeout(PrintStream out, ObjectPool<Connection> pool) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(2);
    CountDownLatch done = new CountDownLatch(1);
    List<Thread> jobs = new ArrayList<>();
    for (String job : List.of("nightly-report", "slow-export")) {
      Thread thread = new Thread(() -> {
        try {
          Lease<Connection> lease = pool.acquire(WAIT);
          try {
            holding.countDown();
            done.await(); // the job's long work
          } finally {
            lease.close();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, job);
      thread.start();
      jobs.add(thread);
    }
    if (!holding.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the jobs did not get their connections");
    }
    try {
      pool.acquire(Duration.ofMillis(200)).close();
      out.println("a caller with a 200 ms timeout was served (unexpected)");
    } catch (PoolTimeoutException e) {
      out.println("a caller with a 200 ms timeout -> PoolTimeoutException: " + e.getMessage());
    } finally {
      done.countDown();
      for (Thread job : jobs) {
        job.join(WAIT.toMillis());
      }
    }
  }

  @Override
  public void runRedis(PrintStream out, RedisBackend redis, String where) {
    heading(out, "pool: two JVMs' pools, 3 connections for the whole fleet, on Redis at " + where);
    String resource = "tour-" + UUID.randomUUID();
    // two lock services: the two JVMs of a fleet, each with its own pool of at most 3
    try (LockService jvm1Locks = RedisLockService.builder(redis).build();
        LockService jvm2Locks = RedisLockService.builder(redis).build();
        ObjectPool<Connection> jvm1 = LocalObjectPool.builder("jvm-1",
            FleetCap.of(jvm1Locks.semaphore(resource, 3)).limit(new Connections("jvm-1/conn", null)))
            .maxSize(3).build();
        ObjectPool<Connection> jvm2 = LocalObjectPool.builder("jvm-2",
            FleetCap.of(jvm2Locks.semaphore(resource, 3)).limit(new Connections("jvm-2/conn", null)))
            .maxSize(3).build()) {
      List<Lease<Connection>> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(jvm1.acquire(WAIT));
      }
      out.println("jvm-1 borrows 3 and keeps them -> " + sizes(jvm1, jvm2));
      try {
        jvm2.acquire(Duration.ofMillis(300)).close();
        out.println("jvm-2: a caller was served (unexpected)");
      } catch (PoolTimeoutException e) {
        @Nullable Throwable cause = e.getCause();
        out.println("jvm-2: a caller waits 300 ms -> PoolTimeoutException, because "
            + (cause == null ? "(no cause)" : cause.getClass().getSimpleName()) + ": jvm-1 holds the 3 permits");
      }
      held.get(0).invalidate(); // jvm-1 closes one connection: its permit goes back to the fleet
      held.subList(1, 3).forEach(Lease::close);
      try (Lease<Connection> lease = jvm2.acquire(WAIT)) {
        out.println("jvm-1 closes one, gives 2 back -> jvm-2 opens " + lease.get() + "; " + sizes(jvm1, jvm2));
      }
      long created = jvm1.stats().created();
      for (int i = 0; i < 100; i++) {
        jvm1.acquire(WAIT).close();
      }
      out.println("jvm-1 borrows and gives back 100 times: " + (jvm1.stats().created() - created)
          + " connections opened, so no permit asked for");
      out.println("underneath: a permit of a locks semaphore per connection opened (one EVALSHA), one release per "
          + "connection closed, renewals batched per JVM; borrowing an open connection costs no round trip");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String sizes(ObjectPool<?> jvm1, ObjectPool<?> jvm2) {
    int one = jvm1.stats().size();
    int two = jvm2.stats().size();
    return "sizes: jvm-1 " + one + ", jvm-2 " + two + " (together " + (one + two) + " of 3)";
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> new Thread(task, prefix + "-" + next.incrementAndGet());
  }

  /** A stand-in for a network connection: it only has a name. */
  record Connection(String name) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Opens connections slowly (a TCP and TLS handshake), saying so when given somewhere to print. */
  private static final class Connections implements PooledObjectFactory<Connection> {
    private final String prefix;
    private final @Nullable PrintStream out;
    private final AtomicInteger opened = new AtomicInteger();

    Connections(String prefix, @Nullable PrintStream out) {
      this.prefix = prefix;
      this.out = out;
    }

    @Override
    public Connection create() throws InterruptedException {
      Connection connection = new Connection(prefix + "-" + opened.incrementAndGet());
      if (out != null) {
        out.println("  (factory: opening " + connection + ", " + OPEN_TIME.toMillis() + " ms)");
      }
      Thread.sleep(OPEN_TIME.toMillis());
      return connection;
    }
  }
}
