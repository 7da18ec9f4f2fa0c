package io.distkit.hashing;

/**
 * Bit mixing for combining a key's hash with a node's, as rendezvous hashing and replica walks need.
 */
final class Mix {

  private Mix() {}

  /**
   * A bijective 64-bit finalizer (MurmurHash3's fmix64): every input bit affects every output bit.
   *
   * @param z any value
   * @return the mixed value
   */
  public static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /**
   * A double uniform in the open interval (0, 1), from the top 53 bits of a hash.
   *
   * @param hash a well-mixed value
   * @return a value strictly between 0 and 1, so its logarithm is finite and negative
   */
  public static double unitInterval(long hash) {
    return ((hash >>> 11) + 0.5) * 0x1.0p-53;
  }
}
