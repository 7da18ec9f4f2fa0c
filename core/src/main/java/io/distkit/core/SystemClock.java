package io.distkit.core;

/** {@link Clock#system()}: the JVM's own clocks. */
enum SystemClock implements Clock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long epochMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public String toString() {
    return "Clock.system()";
  }
}
