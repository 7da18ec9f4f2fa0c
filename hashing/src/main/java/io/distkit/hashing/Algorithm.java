package io.distkit.hashing;

/**
 * The consistent-hashing algorithms behind {@link NodeLocator}. Measured balance, movement and memory are in
 * the module README (table produced by {@code io.distkit.examples.HashingReport}).
 *
 * <p>Every algorithm but {@link #JUMP} depends only on the <em>set</em> of nodes (ids and weights), not on
 * the order they are given in, so every JVM that knows the same nodes maps keys the same way.
 */
public enum Algorithm {

  /**
   * A ring of virtual nodes (Karger et al., 1997): each node is hashed onto a 64-bit circle
   * {@code weight × vnodesPerWeight} times and a key belongs to the first point clockwise from its hash.
   * Lookup: O(1) expected, through a table of about one bucket per point, then a search of one bucket's few
   * points. Memory: 12 bytes per point and 4 per bucket (16 to 20 in all). Balance: the standard deviation
   * of the nodes' shares is about {@code 1/sqrt(vnodesPerWeight)} of the mean. Weights: yes (as point counts).
   * Adding or removing a node moves only the keys it gains or loses. Replicas: the next distinct nodes
   * clockwise.
   */
  RING,

  /**
   * The ring laid out exactly as libmemcached lays out its weighted ketama continuum (MD5 points,
   * {@code floor(weight / totalWeight × 40 × nodes) × 4} points per node, keys hashed with MD5 to 32 bits), so
   * a Java client maps keys as a C client with {@code MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA} and
   * {@code MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED} does; a test checks libmemcached's 99 published vectors. Node
   * ids must be libmemcached's server names: {@code host} for port 11211, else {@code host:port}. For
   * compatibility only: MD5 makes lookups slower, and they allocate.
   */
  KETAMA,

  /**
   * Jump consistent hash (Lamping and Veach, 2014): no table at all, O(log n) arithmetic per lookup, perfect
   * balance, and adding a bucket moves exactly the keys it takes. Nodes are buckets in the order given, and
   * <b>only the last bucket can leave</b> without remapping others: removing another node moves the last node
   * into its bucket, which moves about twice the minimum. No weights (a node of weight other than 1 is
   * refused). Use it for numbered shards that only grow or shrink at the end.
   */
  JUMP,

  /**
   * Rendezvous or highest-random-weight hashing (Thaler and Ravishankar, 1998), weighted by the logarithmic
   * method (Schindelhauer and Schomaker, 2005): a key belongs to the node with the highest score
   * {@code -weight / ln(u)}, where {@code u} mixes the key's hash with the node's. Lookup: O(n), a few ns per
   * node. Memory: 16 bytes per node. Balance: exact in expectation. Adding or removing a node moves only its
   * own keys. Replicas: the next highest scores, also minimal movement.
   */
  RENDEZVOUS,

  /**
   * Maglev hashing (Eisenbud et al., NSDI 2016): nodes fill a lookup table of prime size M in turns, each
   * following its own permutation of the slots; a key indexes the table directly. Lookup: O(1). Memory:
   * 4 bytes × M, 65,537 slots by default whatever the node count (100 per node up to 655 nodes;
   * {@link LocatorConfig#maglevTableSizeFor(int)} sizes it for a larger group). Balance: a node's slot
   * count differs from its exact share {@code M × w / W} by at most {@code 1/2 + n × w / (2W)} slots (one slot
   * for equal weights), so peak-to-mean is at most about {@code 1 + n/M}. Weights: turns are shared out in
   * proportion to weight, for every weight from 1 to {@value Node#MAX_WEIGHT}. Movement: more than the
   * minimum, by a factor that grows with the nodes per slot (about 1.03× at 10 nodes, 1.6× at 100 and 7× at
   * 1,000 with the default table; a larger table lowers it, see the module README).
   */
  MAGLEV
}
