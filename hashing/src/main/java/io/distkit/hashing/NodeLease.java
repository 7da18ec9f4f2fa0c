package io.distkit.hashing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request placed on a node by {@link BoundedLoadBalancer#lease}: the node, held until {@link #close()} releases it
 * (once: a second close does nothing). The same shape as a lease of a pool (pool's {@code Lease}): use it in
 * try-with-resources so that a request is always released.
 *
 * <pre>{@code
 * try (NodeLease<Server> placed = balancer.lease(videoId)) {
 *   serve(placed.node());
 * }
 * }</pre>
 *
 * @param <N> the node type
 */
public final class NodeLease<N extends Node> implements AutoCloseable {

  private final BoundedLoadBalancer<N> balancer;
  private final N node;
  private final AtomicBoolean open = new AtomicBoolean(true);

  NodeLease(BoundedLoadBalancer<N> balancer, N node) {
    this.balancer = balancer;
    this.node = node;
  }

  /**
   * The node the request was placed on.
   *
   * @return the node
   */
  public N node() {
    return node;
  }

  /**
   * Whether the request still counts on its node's load.
   *
   * @return true until {@link #close()}
   */
  public boolean isOpen() {
    return open.get();
  }

  /** Releases the request: its node's load drops by one. Idempotent. */
  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      balancer.release(node);
    }
  }

  @Override
  public String toString() {
    return "NodeLease[" + node.nodeId() + (isOpen() ? "" : ", released") + "]";
  }
}
