package io.distkit.pool.balance;

import io.distkit.hashing.Node;
import io.distkit.pool.object.ObjectPool;
import java.util.Objects;

/**
 * A backend the balancer can send work to: its id, its weight, and the pool of its connections.
 *
 * @param nodeId a stable id (what consistent hashing hashes), 1 to 256 chars
 * @param weight its share relative to the others (weighted round robin, least outstanding, consistent hash), 1 to
 *     1,000,000
 * @param pool its pool; the balancer borrows from it and never closes it
 * @param <T> the type of the pooled objects
 */
public record Endpoint<T>(String nodeId, int weight, ObjectPool<T> pool) implements Node {

  /**
   * Checks the fields.
   *
   * @param nodeId a stable id, 1 to 256 chars
   * @param weight 1 to 1,000,000
   * @param pool its pool
   * @throws IllegalArgumentException when the id is blank or too long, or the weight out of range
   */
  public Endpoint {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(pool, "pool");
    if (nodeId.isBlank() || nodeId.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("nodeId (\"" + nodeId + "\") must be 1 to " + MAX_ID_LENGTH
          + " chars, not blank");
    }
    if (weight < 1 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException("weight (" + weight + ") of " + nodeId + " must be 1 to " + MAX_WEIGHT);
    }
  }

  /**
   * An endpoint of weight 1.
   *
   * @param nodeId its id
   * @param pool its pool
   * @param <T> the type of the pooled objects
   * @return the endpoint
   */
  public static <T> Endpoint<T> of(String nodeId, ObjectPool<T> pool) {
    return new Endpoint<>(nodeId, 1, pool);
  }
}
