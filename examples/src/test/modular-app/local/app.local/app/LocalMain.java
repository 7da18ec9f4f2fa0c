package app;

import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.local.LocalRateLimiter;
import java.time.Duration;
import java.util.List;

public final class LocalMain {
  public static void main(String[] args) {
    RateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.GCRA, 2, Duration.ofMinutes(1)))
        .build();
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      seen.append(limiter.tryAcquire("user-42").allowed() ? 'Y' : 'n');
    }
    System.out.println("ratelimit " + seen + " from module " + LocalRateLimiter.class.getModule().getName());
    NodeLocator<Node> locator = LocatorConfig.maglev().locator(List.of(Node.of("a"), Node.of("b")));
    List<Node> both = locator.locate("user-42", 2);
    System.out.println("hashing " + both.size() + " replicas from module " + NodeLocator.class.getModule().getName());
  }
}
