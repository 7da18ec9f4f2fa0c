package io.distkit.core.testing;

import io.distkit.core.session.FencingToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The storage a fencing token protects, as a test double of a real one: it accepts a write only with a token
 * at least as high as the highest it has seen, rejects the rest, and counts them. A checker of lock-like
 * primitives: holders that lost their grant (paused past their lease, cut off) must have every late write
 * rejected, and the accepted writes' tokens never go down.
 *
 * <p>Thread-safe.
 *
 * @param <T> the type of values written
 */
public final class FencedRegister<T> {

  /**
   * One accepted write.
   *
   * @param token the writer's token
   * @param value what it wrote
   * @param <T> the type of values
   */
  public record Write<T>(FencingToken token, T value) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final List<Write<T>> accepted = new ArrayList<>();
  private final List<Write<T>> rejected = new ArrayList<>();
  private @Nullable FencingToken highest;

  /**
   * Writes a value if its token is not older than the highest seen.
   *
   * @param token the writer's fencing token
   * @param value the value
   * @return true when accepted
   */
  public boolean write(FencingToken token, T value) {
    lock.lock();
    try {
      if (highest != null && token.compareTo(highest) < 0) {
        rejected.add(new Write<>(token, value));
        return false;
      }
      highest = token;
      accepted.add(new Write<>(token, value));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The last accepted value.
   *
   * @return it, or null before any write
   */
  public @Nullable T value() {
    lock.lock();
    try {
      return accepted.isEmpty() ? null : accepted.get(accepted.size() - 1).value();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The highest token seen.
   *
   * @return it, or null before any write
   */
  public @Nullable FencingToken highestToken() {
    lock.lock();
    try {
      return highest;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Accepted writes, in order.
   *
   * @return a copy
   */
  public List<Write<T>> accepted() {
    lock.lock();
    try {
      return List.copyOf(accepted);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes refused for a stale token, in order.
   *
   * @return a copy
   */
  public List<Write<T>> rejected() {
    lock.lock();
    try {
      return List.copyOf(rejected);
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many writes came with a stale token.
   *
   * @return the count of rejected writes
   */
  public int staleWrites() {
    lock.lock();
    try {
      return rejected.size();
    } finally {
      lock.unlock();
    }
  }
}
