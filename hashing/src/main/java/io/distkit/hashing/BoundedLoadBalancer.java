package io.distkit.hashing;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consistent hashing with bounded loads for requests (Mirrokni, Thorup and Zadimoghaddam, "Consistent Hashing
 * with Bounded Loads", SODA 2018; the scheme HAProxy and Envoy use for request routing): a request goes to
 * the first node clockwise on the ring from its key that is below its capacity
 * {@code ceil(c × (inFlight + 1) × weight / totalWeight)}, and stays there until {@linkplain #release
 * released}.
 *
 * <pre>{@code
 * BoundedLoadBalancer<Server> balancer = BoundedLoadBalancer.create(LocatorConfig.ring().locator(servers), 1.25);
 * try (NodeLease<Server> placed = balancer.lease(videoId)) {   // the key's usual server, unless over its share
 *   serve(placed.node());
 * }                                                              // released here, once
 * // or, allocation-free: Server server = balancer.acquire(videoId); ... balancer.release(server);
 * }</pre>
 *
 * <p>Guarantee: when a request is placed, its node's load (requests acquired and not yet released, this one
 * included) is at most {@code ceil(c × inFlight × weight / totalWeight)}, with {@code inFlight} counted at that
 * moment, for every {@code c > 1} and every ring (the walk goes once round the ring, then to the nodes that own
 * no point, which a {@link Algorithm#KETAMA} server of tiny weight may be). Requests never move once placed, so a node can stay above the bound after
 * others release theirs, until its own requests finish. Keys keep their node while it has room, so caches stay
 * warm; a request goes elsewhere only when its node is full, and then to the next nodes on the ring, as few
 * hops as the loads allow.
 *
 * <p>Lock-free and thread-safe: loads are atomic counters and the ring is an immutable snapshot replaced by
 * {@link #update(NodeLocator)}. Acquiring allocates nothing for {@code String} (ASCII) and {@code long} keys.
 *
 * @param <N> the node type
 */
public final class BoundedLoadBalancer<N extends Node> {

  /** A ring snapshot and, per node index, its load counter. */
  private record State<N extends Node>(RingLocator<N> ring, AtomicInteger[] loads, long totalWeight) {}

  private final double balanceFactor;
  /** Load per node id, kept across ring updates so a request is released on the counter it was counted on. */
  private final ConcurrentHashMap<String, AtomicInteger> loadById = new ConcurrentHashMap<>();
  private final AtomicLong inFlight = new AtomicLong();
  private volatile State<N> state;

  private BoundedLoadBalancer(NodeLocator<N> ring, double balanceFactor) {
    this.balanceFactor = BoundedLoads.checkBalanceFactor(balanceFactor);
    this.state = stateFor(BoundedLoads.ring(ring));
  }

  /**
   * A balancer over a ring.
   *
   * @param ring a {@link Algorithm#RING} or {@link Algorithm#KETAMA} locator with at least one node
   * @param balanceFactor c, above 1 and at most 100: how far above the average a node may go (1.25 allows
   *     25%); smaller values balance tighter and send more requests away from their usual node
   * @param <N> the node type
   * @return the balancer, with no load
   * @throws IllegalArgumentException when the locator is not a ring, is empty, or c is out of range
   */
  public static <N extends Node> BoundedLoadBalancer<N> create(NodeLocator<N> ring, double balanceFactor) {
    return new BoundedLoadBalancer<>(ring, balanceFactor);
  }

  private State<N> stateFor(RingLocator<N> ring) {
    if (ring.size() == 0) {
      throw new IllegalArgumentException("a bounded-load balancer needs at least one node");
    }
    AtomicInteger[] loads = new AtomicInteger[ring.size()];
    long totalWeight = 0;
    for (int i = 0; i < loads.length; i++) {
      loads[i] = loadById.computeIfAbsent(ring.ids[i], id -> new AtomicInteger());
      totalWeight += ring.weights[i];
    }
    return new State<>(ring, loads, totalWeight);
  }

  /**
   * Places a request.
   *
   * @param key the request's key (a video id, a user id)
   * @return its node; pass it to {@link #release} when the request is done
   */
  public N acquire(String key) {
    Objects.requireNonNull(key, "key");
    State<N> s = state;
    return acquire(s, s.ring.hash(key));
  }

  /**
   * Places a request.
   *
   * @param key the request's key
   * @return its node; pass it to {@link #release} when the request is done
   */
  public N acquire(long key) {
    State<N> s = state;
    return acquire(s, s.ring.hash(key));
  }

  /**
   * Places a request.
   *
   * @param key the request's key; not modified
   * @return its node; pass it to {@link #release} when the request is done
   */
  public N acquire(byte[] key) {
    Objects.requireNonNull(key, "key");
    State<N> s = state;
    return acquire(s, s.ring.hash(key));
  }

  /**
   * Places a request and hands it back as a lease that releases it once when closed (one small object per request;
   * {@link #acquire(String)} allocates nothing but needs a matching {@link #release}).
   *
   * @param key the request's key
   * @return the placed request
   */
  public NodeLease<N> lease(String key) {
    return new NodeLease<>(this, acquire(key));
  }

  /**
   * Places a request as a lease: see {@link #lease(String)}.
   *
   * @param key the request's key
   * @return the placed request
   */
  public NodeLease<N> lease(long key) {
    return new NodeLease<>(this, acquire(key));
  }

  /**
   * Places a request as a lease: see {@link #lease(String)}.
   *
   * @param key the request's key; not modified
   * @return the placed request
   */
  public NodeLease<N> lease(byte[] key) {
    return new NodeLease<>(this, acquire(key));
  }

  private N acquire(State<N> s, long hash) {
    // count this request first, so the capacity it is checked against already includes it
    long total = inFlight.incrementAndGet();
    RingLocator<N> ring = s.ring;
    int start = ring.firstPointAtOrAfter(hash);
    while (true) {
      for (int step = 0, steps = ring.walkLength(); step < steps; step++) {
        int owner = ring.walkNode(start, step);
        long capacity = BoundedLoads.capacity(balanceFactor, total, ring.weights[owner], s.totalWeight);
        AtomicInteger load = s.loads[owner];
        for (int current = load.get(); current < capacity; current = load.get()) {
          if (load.compareAndSet(current, current + 1)) {
            return ring.nodes.get(owner);
          }
        }
      }
      // Every node full for the total counted when this request arrived: only when other requests arrived and
      // took the room meanwhile. The capacities for the current total add up to more than the requests placed
      // (this one is counted and not placed), so some node has room under the bound of this moment.
      total = Math.max(total, inFlight.get());
      Thread.onSpinWait();
    }
  }

  /**
   * Ends a request placed by {@code acquire}.
   *
   * @param node the node {@code acquire} returned
   * @throws IllegalArgumentException when that node holds no request
   */
  public void release(N node) {
    Objects.requireNonNull(node, "node");
    AtomicInteger load = loadById.get(node.nodeId());
    if (load == null || load.getAndUpdate(l -> l > 0 ? l - 1 : l) == 0) {
      throw new IllegalArgumentException("node '" + node.nodeId() + "' holds no request to release");
    }
    inFlight.decrementAndGet();
  }

  /**
   * Switches to another ring (nodes added, removed or re-weighted). Requests in flight keep their nodes and
   * their load counts; new requests see the new ring.
   *
   * @param ring a {@link Algorithm#RING} or {@link Algorithm#KETAMA} locator with at least one node
   * @throws IllegalArgumentException when the locator is not a ring or is empty
   */
  public void update(NodeLocator<N> ring) {
    state = stateFor(BoundedLoads.ring(ring));
  }

  /**
   * The current ring.
   *
   * @return the locator last given
   */
  public NodeLocator<N> locator() {
    return state.ring;
  }

  /**
   * A node's load.
   *
   * @param nodeId the node's id
   * @return requests acquired on it and not yet released; 0 for an unknown id
   */
  public int load(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    AtomicInteger load = loadById.get(nodeId);
    return load == null ? 0 : load.get();
  }

  /**
   * Requests acquired and not yet released, on all nodes.
   *
   * @return the total load
   */
  public long inFlight() {
    return inFlight.get();
  }

  /**
   * The most requests a node may hold once one more request arrives:
   * {@code ceil(c × (inFlight + 1) × weight / totalWeight)}.
   *
   * @param nodeId the node's id
   * @return the capacity, or 0 when the node is not on the current ring
   */
  public long capacity(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    State<N> s = state;
    int at = s.ring.positionOf(nodeId);
    return at < 0 ? 0 : BoundedLoads.capacity(balanceFactor, inFlight.get() + 1, s.ring.weights[at], s.totalWeight);
  }

  /**
   * The balance factor c.
   *
   * @return c, above 1
   */
  public double balanceFactor() {
    return balanceFactor;
  }

  @Override
  public String toString() {
    return "BoundedLoadBalancer[c " + balanceFactor + ", " + inFlight.get() + " in flight, " + state.ring + "]";
  }
}
