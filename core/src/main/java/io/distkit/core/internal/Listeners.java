package io.distkit.core.internal;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls user listeners so that a listener that throws never breaks the operation that notified it.
 *
 * <p>Not API.
 */
public final class Listeners {

  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  /**
   * Delivers one event to a listener, logging at WARN (and swallowing) whatever it throws.
   *
   * @param listener the user's listener
   * @param event the listener method's name, for the log line
   * @param delivery calls the listener method
   * @param <L> the listener type
   */
  public static <L> void notify(L listener, String event, Consumer<? super L> delivery) {
    try {
      delivery.accept(listener);
    } catch (RuntimeException | LinkageError | AssertionError e) {
      log.warn("Listener {} threw from {}; the operation goes on as if it had returned normally",
          listener.getClass().getName(), event, e);
    }
  }
}
