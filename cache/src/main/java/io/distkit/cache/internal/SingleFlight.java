package io.distkit.cache.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One load per key at a time in this JVM: the first caller to miss a key runs the load, callers that miss it while
 * the load runs wait for it and share its outcome (a value or the exception). Thread-safe.
 *
 * @param <K> the type of keys
 * @param <R> the type of a load's outcome
 */
public final class SingleFlight<K, R> {

  private final Map<K, CompletableFuture<R>> flights = new ConcurrentHashMap<>();

  /**
   * Runs {@code load} for {@code key}, or waits for the run already under way.
   *
   * @param key the key
   * @param load the load; runs on the calling thread of the first caller
   * @return the load's outcome
   * @throws RuntimeException what the load threw (to every caller that shared it)
   */
  public R run(K key, Supplier<? extends R> load) {
    CompletableFuture<R> mine = new CompletableFuture<>();
    CompletableFuture<R> running = flights.putIfAbsent(key, mine);
    if (running != null) {
      return join(running);
    }
    try {
      R outcome = load.get();
      mine.complete(outcome);
      return outcome;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      flights.remove(key, mine);
    }
  }

  private static <R> R join(CompletableFuture<R> running) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return running.get();
        } catch (InterruptedException e) {
          interrupted = true; // the shared load goes on; so does the wait for it
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          if (cause instanceof Error error) {
            throw error;
          }
          throw new CompletionException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
