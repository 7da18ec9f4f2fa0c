package io.distkit.benchmarks.ratelimit;

/**
 * The rate a benchmark's limit allows, relative to how fast the benchmark asks: the {@code load}
 * {@code @Param}.
 */
public enum Load {

  /** 10^9 permits per second, bursts of 10^9: far above any throughput here, so every request is granted. */
  ALWAYS_ADMIT("always-admit", 1_000_000_000L),

  /** 1,000 permits per second, bursts of 1,000: nearly every request of a tight loop is denied. */
  MOSTLY_DENY("mostly-deny", 1_000L);

  private final String param;
  private final long permitsPerSecond;

  Load(String param, long permitsPerSecond) {
    this.param = param;
    this.permitsPerSecond = permitsPerSecond;
  }

  /**
   * The load a {@code @Param} value names.
   *
   * @param param {@code always-admit} or {@code mostly-deny}
   * @return the load
   * @throws IllegalArgumentException for any other value
   */
  public static Load of(String param) {
    for (Load load : values()) {
      if (load.param.equals(param)) {
        return load;
      }
    }
    throw new IllegalArgumentException("load ('" + param + "') must be always-admit or mostly-deny");
  }

  /**
   * The limit's rate, which is also its burst.
   *
   * @return permits per second
   */
  public long permitsPerSecond() {
    return permitsPerSecond;
  }
}
