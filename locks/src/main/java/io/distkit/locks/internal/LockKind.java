package io.distkit.locks.internal;

import io.distkit.core.internal.Require;

/**
 * What a request asks for, and so which requests and holders it can share a name with: an exclusive hold (a lock,
 * a write lock, a leader's term) shares with nobody; a shared hold (a semaphore's permit, a read lock) shares with
 * other shared holds, up to {@code limit} holders in all. Each kind lives in a namespace of its own: a lock and a
 * semaphore of the same name are unrelated.
 *
 * @param namespace where the kind's names live ({@code locks}, {@code semaphores}, {@code rwlocks},
 *     {@code elections}); part of a Redis key
 * @param exclusive whether a holder of this kind holds alone
 * @param limit how many holders at most while one of this kind holds: 1 for an exclusive kind
 */
public record LockKind(String namespace, boolean exclusive, int limit) {

  /** A named lock. */
  public static final LockKind LOCK = new LockKind("locks", true, 1);

  /** A read-write lock's read side: shared by any number of readers, never with a writer. */
  public static final LockKind READ = new LockKind("rwlocks", false, Integer.MAX_VALUE);

  /** A read-write lock's write side: held alone. */
  public static final LockKind WRITE = new LockKind("rwlocks", true, 1);

  /** A leader's term. */
  public static final LockKind ELECTION = new LockKind("elections", true, 1);

  /**
   * Checks the values.
   *
   * @param namespace non-blank
   * @param exclusive any
   * @param limit at least 1; 1 when exclusive
   */
  public LockKind {
    Require.nonBlank(namespace, "namespace");
    if (limit < 1 || exclusive && limit != 1) {
      throw new IllegalArgumentException("limit (" + limit + ") must be at least 1, and 1 for an exclusive kind");
    }
  }

  /**
   * A semaphore's permit.
   *
   * @param permits how many holders at most: at least 1
   * @return the kind
   * @throws IllegalArgumentException when {@code permits} is below 1, naming it
   */
  public static LockKind permit(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits (" + permits + ") must be at least 1");
    }
    return new LockKind("semaphores", false, permits);
  }

  /**
   * Whether a request of this kind may join {@code holders} holders now, {@code exclusiveHeld} telling whether the
   * one holder holds exclusively (an exclusive holder is always alone).
   *
   * @param holders live holders of the name (claims of waiters handed the name included)
   * @param exclusiveHeld whether they hold exclusively
   * @return true when it fits
   */
  public boolean fits(int holders, boolean exclusiveHeld) {
    return holders == 0 || !exclusive && !exclusiveHeld && holders < limit;
  }
}
