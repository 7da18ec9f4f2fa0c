package io.distkit.examples;

import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an HTTP service turns a rate-limit decision into a response: {@code 429 Too Many Requests} with
 * {@code Retry-After} when denied, and the {@code RateLimit-*} headers of the IETF draft on every response.
 *
 * <pre>{@code
 * RateLimitDecision d = limiter.tryAcquire(clientId);
 * RateLimitHeaders h = RateLimitHeaders.of(d, limiter.limitFor(clientId));
 * response.status(h.status());
 * h.headers().forEach(response::header);
 * }</pre>
 *
 * @param status 200 when allowed, 429 when rate limited, 413 when the request asks for more than the limit
 *     can ever grant
 * @param headers header names and values, in the order to send them
 */
public record RateLimitHeaders(int status, Map<String, String> headers) {

  /**
   * The status and headers for a decision.
   *
   * @param decision the limiter's decision
   * @param limit the limit that was applied ({@code limiter.limitFor(key)})
   * @return what to send
   */
  public static RateLimitHeaders of(RateLimitDecision decision, RateLimit limit) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("RateLimit-Limit", Long.toString(limit.capacity()));
    headers.put("RateLimit-Remaining", Long.toString(decision.remaining()));
    headers.put("RateLimit-Reset", Long.toString(seconds(decision.resetAfterMicros())));
    int status = 200;
    switch (decision.reason()) {
      case ALLOWED -> {
      }
      case RATE_LIMITED -> {
        status = 429;
        headers.put("Retry-After", Long.toString(decision.retryAfterSeconds()));
      }
      case EXCEEDS_CAPACITY -> status = 413; // waiting will never help: no Retry-After
    }
    return new RateLimitHeaders(status, Collections.unmodifiableMap(headers));
  }

  /** Whole seconds, rounded up: a client that waits this long is never early. */
  private static long seconds(long micros) {
    return (micros + 999_999) / 1_000_000;
  }
}
