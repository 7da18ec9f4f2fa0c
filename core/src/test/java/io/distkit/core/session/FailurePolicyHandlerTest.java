package io.distkit.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.BackendListener;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.FailurePolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FailurePolicyHandlerTest {

  static final PolicySupport LIMITER = PolicySupport.of("rate limiter")
      .supports(FailurePolicy.FAIL_CLOSED, FailurePolicy.FAIL_OPEN, FailurePolicy.FALLBACK_TO_LOCAL);
  static final PolicySupport LOCK = PolicySupport.of("lock")
      .supports(FailurePolicy.FAIL_CLOSED)
      .refuses(FailurePolicy.FAIL_OPEN, "a lock that fails open lets every caller in at once")
      .refuses(FailurePolicy.FALLBACK_TO_LOCAL, "a JVM-local lock excludes nobody in other JVMs");

  private static final BackendUnavailableException DOWN = new BackendUnavailableException("down", null);
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final BackendListener listener = new BackendListener() {
    @Override
    public void onError(String source, BackendUnavailableException error) {
      events.add("error " + source + " " + error.getMessage());
    }

    @Override
    public void onFallback(String source, FailurePolicy policy) {
      events.add("fallback " + source + " " + policy);
    }
  };

  private FailurePolicyHandler handler(FailurePolicy policy) {
    return FailurePolicyHandler.builder("ratelimit:api", LIMITER, policy).listener(listener).build();
  }

  private static String down() {
    throw DOWN;
  }

  @Test
  void eachPolicyAnswersAnOutageItsOwnWayWithTheSameCountsAndEvents() {
    FailurePolicyHandler closed = handler(FailurePolicy.FAIL_CLOSED);
    assertThatThrownBy(() -> closed.call(FailurePolicyHandlerTest::down, () -> "open", () -> "local")).isSameAs(DOWN);
    assertThat(closed.stats()).isEqualTo(new FailurePolicyHandler.Stats(1, 0, 0));

    FailurePolicyHandler open = handler(FailurePolicy.FAIL_OPEN);
    assertThat(open.call(FailurePolicyHandlerTest::down, () -> "open", () -> "local")).isEqualTo("open");
    assertThat(open.stats()).isEqualTo(new FailurePolicyHandler.Stats(1, 1, 0));

    FailurePolicyHandler local = handler(FailurePolicy.FALLBACK_TO_LOCAL);
    assertThat(local.onUnavailable(DOWN, () -> "open", () -> "local")).isEqualTo("local");
    assertThat(local.stats().fallbacks()).isEqualTo(1);

    assertThat(events).containsExactly(
        "error ratelimit:api down",
        "error ratelimit:api down", "fallback ratelimit:api FAIL_OPEN",
        "error ratelimit:api down", "fallback ratelimit:api FALLBACK_TO_LOCAL");
  }

  @Test
  void answersAndOtherErrorsPassThroughUncounted() {
    FailurePolicyHandler open = handler(FailurePolicy.FAIL_OPEN);
    assertThat(open.call(() -> "redis", () -> "open", () -> "local")).isEqualTo("redis");
    assertThatThrownBy(() -> open.call(() -> {
      throw new DistkitException("WRONGTYPE");
    }, () -> "open", () -> "local")).hasMessage("WRONGTYPE");
    assertThat(open.stats()).isEqualTo(new FailurePolicyHandler.Stats(0, 0, 0));
    assertThat(events).isEmpty();
  }

  @Test
  void aPrimitiveRefusesAPolicyWithItsReason() {
    assertThatThrownBy(() -> FailurePolicyHandler.builder("locks:orders", LOCK, FailurePolicy.FAIL_OPEN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failurePolicy (FAIL_OPEN) is not supported by a lock: a lock that fails open lets every caller "
            + "in at once; supported: [FAIL_CLOSED]");
    assertThat(LOCK.check(FailurePolicy.FAIL_CLOSED)).isEqualTo(FailurePolicy.FAIL_CLOSED);
    assertThat(LOCK.isSupported(FailurePolicy.FALLBACK_TO_LOCAL)).isFalse();
    assertThatThrownBy(() -> PolicySupport.of("half-declared").supports(FailurePolicy.FAIL_CLOSED)
        .check(FailurePolicy.FAIL_OPEN)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aListenerThatThrowsChangesNothing() {
    FailurePolicyHandler open = FailurePolicyHandler.builder("x", LIMITER, FailurePolicy.FAIL_OPEN)
        .listener(new BackendListener() {
          @Override
          public void onError(String source, BackendUnavailableException error) {
            throw new IllegalStateException("listener bug (expected by the test)");
          }
        }).build();
    assertThat(open.call(FailurePolicyHandlerTest::down, () -> "open", () -> "local")).isEqualTo("open");
  }
}
