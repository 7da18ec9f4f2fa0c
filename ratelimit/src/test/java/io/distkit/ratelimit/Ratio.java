package io.distkit.ratelimit;

import java.math.BigInteger;

/** An exact fraction, for the reference model. Always normalized, denominator positive. */
record Ratio(BigInteger num, BigInteger den) implements Comparable<Ratio> {

  static final Ratio ZERO = of(0);

  Ratio {
    if (den.signum() == 0) {
      throw new ArithmeticException("zero denominator");
    }
    if (den.signum() < 0) {
      num = num.negate();
      den = den.negate();
    }
    BigInteger g = num.gcd(den);
    if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
      num = num.divide(g);
      den = den.divide(g);
    }
  }

  static Ratio of(long n) {
    return new Ratio(BigInteger.valueOf(n), BigInteger.ONE);
  }

  static Ratio of(long n, long d) {
    return new Ratio(BigInteger.valueOf(n), BigInteger.valueOf(d));
  }

  Ratio plus(Ratio o) {
    return new Ratio(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
  }

  Ratio minus(Ratio o) {
    return plus(new Ratio(o.num.negate(), o.den));
  }

  Ratio times(Ratio o) {
    return new Ratio(num.multiply(o.num), den.multiply(o.den));
  }

  Ratio times(long n) {
    return times(of(n));
  }

  Ratio min(Ratio o) {
    return compareTo(o) <= 0 ? this : o;
  }

  Ratio max(Ratio o) {
    return compareTo(o) >= 0 ? this : o;
  }

  long floor() {
    BigInteger[] qr = num.divideAndRemainder(den);
    BigInteger q = qr[0];
    if (qr[1].signum() < 0) {
      q = q.subtract(BigInteger.ONE);
    }
    return q.longValueExact();
  }

  @Override
  public int compareTo(Ratio o) {
    return num.multiply(o.den).compareTo(o.num.multiply(den));
  }
}
