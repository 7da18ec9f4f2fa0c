/**
 * distkit-locks: named locks with fencing tokens behind one {@link io.distkit.locks.LockService} interface, in this
 * JVM ({@code io.distkit.locks.local}). The Redis service is to come.
 */
module io.distkit.locks {
  requires transitive io.distkit.core;
  requires static transitive org.jspecify;

  exports io.distkit.locks;
  exports io.distkit.locks.local;
}
