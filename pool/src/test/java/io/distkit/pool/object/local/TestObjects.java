package io.distkit.pool.object.local;

import io.distkit.pool.object.PooledObjectFactory;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A factory for tests: numbered objects, every creation and destruction counted, the objects alive kept, and knobs
 * to make creation fail or slow, and validation fail for chosen objects. Each object also checks that it is never
 * used by two holders at once ({@link Pooled#enter()}/{@link Pooled#exit()}).
 */
final class TestObjects implements PooledObjectFactory<TestObjects.Pooled> {

  /** A pooled object. */
  static final class Pooled {
    final int id;
    private final AtomicBoolean inUse = new AtomicBoolean();
    volatile boolean valid = true;
    volatile boolean destroyed;

    Pooled(int id) {
      this.id = id;
    }

    /** Marks the start of a use: fails if another holder is using it, or it was destroyed. */
    void enter() {
      if (destroyed) {
        throw new AssertionError("object " + id + " used after it was destroyed");
      }
      if (!inUse.compareAndSet(false, true)) {
        throw new AssertionError("object " + id + " lent to two holders at once");
      }
    }

    void exit() {
      inUse.set(false);
    }

    @Override
    public String toString() {
      return "object-" + id;
    }
  }

  final AtomicInteger created = new AtomicInteger();
  final AtomicInteger destroyed = new AtomicInteger();
  final AtomicInteger validations = new AtomicInteger();
  final Set<Pooled> alive = ConcurrentHashMap.newKeySet();
  /** When set, create() throws it. */
  final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  /** How long create() takes, in ms (real time). */
  volatile long createMillis;
  /** When set, create() waits for it to open. */
  volatile CountDownLatch gate;
  /** The thread of the last create(). */
  volatile Thread lastCreator;

  @Override
  public Pooled create() throws InterruptedException {
    RuntimeException fail = failure.get();
    if (fail != null) {
      throw fail;
    }
    lastCreator = Thread.currentThread();
    CountDownLatch wait = gate;
    if (wait != null) {
      wait.await();
    }
    if (createMillis > 0) {
      Thread.sleep(createMillis); // a slow connect: the pool must not make its callers wait on it beyond their wait
    }
    Pooled object = new Pooled(created.incrementAndGet());
    alive.add(object);
    return object;
  }

  @Override
  public boolean validate(Pooled object) {
    validations.incrementAndGet();
    return object.valid;
  }

  @Override
  public void destroy(Pooled object) {
    if (object.destroyed) {
      throw new AssertionError(object + " destroyed twice");
    }
    object.destroyed = true;
    alive.remove(object);
    destroyed.incrementAndGet();
  }
}
