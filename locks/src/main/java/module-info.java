/**
 * distkit-locks: named locks, semaphores, read-write locks and leader elections with fencing tokens behind one
 * {@link io.distkit.locks.LockService} interface, in this JVM ({@code io.distkit.locks.local}) or in Redis
 * ({@code io.distkit.locks.redis}).
 */
module io.distkit.locks {
  requires transitive io.distkit.core;
  requires static transitive org.jspecify;

  requires org.slf4j;

  exports io.distkit.locks;
  exports io.distkit.locks.local;
  exports io.distkit.locks.redis;
}
