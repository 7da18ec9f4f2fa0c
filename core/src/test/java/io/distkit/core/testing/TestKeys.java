package io.distkit.core.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random names, so tests that share a Redis never see each other's keys. Tests isolate by key, never by
 * {@code FLUSHALL}.
 */
public final class TestKeys {

  private TestKeys() {}

  /**
   * A name that no other test will use.
   *
   * @param hint a readable part, e.g. the test's subject
   * @return {@code hint} followed by a dash and 16 random hex digits
   */
  public static String unique(String hint) {
    return hint + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }
}
