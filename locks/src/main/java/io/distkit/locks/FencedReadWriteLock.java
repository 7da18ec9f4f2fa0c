package io.distkit.locks;

/**
 * A named read-write lock: any number of readers at once, or one writer alone. Grants of either side are
 * {@link LockHandle}s with fencing tokens from one sequence per name, so a write's token is newer than every read
 * granted before it.
 *
 * <pre>{@code
 * FencedReadWriteLock catalog = locks.readWriteLock("catalog");
 * try (LockHandle read = catalog.read().tryAcquire(Duration.ofSeconds(1), lease).orElseThrow()) { ... }
 * }</pre>
 *
 * <p><b>Readers cannot starve a writer.</b> Callers are served in arrival order: a reader that arrives while a
 * writer waits queues behind it, even while other readers hold the lock, so the writer gets it as soon as the
 * readers before it are done. Readers that wait together behind a writer are all let in at once when it releases.
 */
public interface FencedReadWriteLock {

  /**
   * The name given to the service.
   *
   * @return the name
   */
  String name();

  /**
   * The read side: shared with other readers, never with a writer.
   *
   * @return the read side
   */
  FencedLock read();

  /**
   * The write side: held alone.
   *
   * @return the write side
   */
  FencedLock write();

  /**
   * The lock's holders and waiters as they are now ({@link LockInfo#exclusive()} tells a writer).
   *
   * @return what the service knows of it
   */
  default LockInfo inspect() {
    return read().inspect();
  }
}
