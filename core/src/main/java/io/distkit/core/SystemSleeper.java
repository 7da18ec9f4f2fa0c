package io.distkit.core;

import java.util.concurrent.TimeUnit;

/** {@link Sleeper#system()}. */
enum SystemSleeper implements Sleeper {
  INSTANCE;

  @Override
  public void sleep(long nanos) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(nanos);
  }

  @Override
  public String toString() {
    return "Sleeper.system()";
  }
}
