package io.distkit.hashing;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Holds the current {@link NodeLocator} snapshot and swaps it atomically, so that readers never lock and
 * never see a half-built locator.
 *
 * <pre>{@code
 * LocatorHolder<Server> servers = LocatorHolder.of(LocatorConfig.ring().locator(initial));
 * Server s = servers.current().locate(key);             // readers: one volatile read
 * servers.update(locator -> locator.withNode(added));   // writers: build a new snapshot, swap it in
 * }</pre>
 *
 * <p>A reader that calls {@link #current()} once and uses that snapshot for a whole operation sees one
 * consistent layout, even if the holder moves on meanwhile. Thread-safe.
 *
 * @param <N> the node type
 */
public final class LocatorHolder<N extends Node> {

  private final AtomicReference<NodeLocator<N>> current;

  private LocatorHolder(NodeLocator<N> initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
  }

  /**
   * A holder that starts with a locator.
   *
   * @param initial the first snapshot
   * @param <N> the node type
   * @return the holder
   */
  public static <N extends Node> LocatorHolder<N> of(NodeLocator<N> initial) {
    return new LocatorHolder<>(initial);
  }

  /**
   * The current snapshot.
   *
   * @return the locator most recently set
   */
  public NodeLocator<N> current() {
    return current.get();
  }

  /**
   * Replaces the snapshot.
   *
   * @param next the new locator
   * @return the locator it replaced
   */
  public NodeLocator<N> set(NodeLocator<N> next) {
    return current.getAndSet(Objects.requireNonNull(next, "next"));
  }

  /**
   * Replaces the snapshot with a function of it, atomically: concurrent updates are applied one after the
   * other, none lost. The function may run more than once under contention, so it must not have side effects.
   *
   * @param change e.g. {@code locator -> locator.withoutNode("cache-3")}
   * @return the new snapshot
   */
  public NodeLocator<N> update(UnaryOperator<NodeLocator<N>> change) {
    Objects.requireNonNull(change, "change");
    return current.updateAndGet(locator -> Objects.requireNonNull(change.apply(locator), "the new locator"));
  }

  /**
   * The node a key belongs to in the current snapshot; a shortcut for {@code current().locate(key)}.
   *
   * @param key any string
   * @return its node
   * @throws IllegalStateException when the current locator has no nodes
   */
  public N locate(String key) {
    return current.get().locate(key);
  }

  @Override
  public String toString() {
    return "LocatorHolder[" + current.get() + "]";
  }
}
