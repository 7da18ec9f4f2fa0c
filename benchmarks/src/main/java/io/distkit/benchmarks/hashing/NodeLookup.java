package io.distkit.benchmarks.hashing;

/**
 * One consistent-hashing implementation under test, adapted to the benchmark's keys: each key comes both as
 * text and as a well-mixed 64-bit hash of it, and a locator uses whichever its API takes. Guava's jump hash
 * and the {@link TreeMapRing} take the hash; a locator whose API takes the key itself hashes it inside the
 * measurement, and the report says so.
 */
@FunctionalInterface
public interface NodeLookup {

  /**
   * The node that owns a key.
   *
   * @param key the key
   * @param keyHash the key's 64-bit hash, {@link LookupKeys#hash(String)}
   * @return the node's name, one of the strings the locator was built with (never a new string)
   */
  String nodeFor(String key, long keyHash);
}
