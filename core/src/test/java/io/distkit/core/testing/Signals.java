package io.distkit.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Sends Unix signals to processes the test kit started ({@code kill -STOP}, {@code -CONT}). */
final class Signals {

  private Signals() {}

  /**
   * Sends a signal and waits for {@code kill} to finish.
   *
   * @param pid the process
   * @param name the signal's name without {@code SIG}, e.g. {@code "STOP"}
   * @throws IllegalStateException when {@code kill} fails
   */
  static void send(long pid, String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
