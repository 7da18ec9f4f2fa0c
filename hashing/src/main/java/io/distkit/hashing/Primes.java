package io.distkit.hashing;

/** Primality, for Maglev's table size. */
final class Primes {

  private Primes() {}

  /**
   * Whether a number is prime, by trial division (fast enough for table sizes, which are at most a few
   * million).
   *
   * @param n any int
   * @return true when {@code n} is a prime
   */
  public static boolean isPrime(int n) {
    if (n < 2) {
      return false;
    }
    if (n % 2 == 0) {
      return n == 2;
    }
    for (int d = 3; (long) d * d <= n; d += 2) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The smallest prime at or above a number.
   *
   * @param n a positive int well below {@link Integer#MAX_VALUE}
   * @return the next prime
   */
  public static int nextPrime(int n) {
    int candidate = Math.max(2, n);
    while (!isPrime(candidate)) {
      candidate++;
    }
    return candidate;
  }
}
