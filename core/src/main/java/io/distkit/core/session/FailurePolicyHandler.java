package io.distkit.core.session;

import io.distkit.core.BackendListener;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Applies a primitive's {@link FailurePolicy} when its backend is unavailable, with the same counting and the
 * same {@link BackendListener} events in every primitive.
 *
 * <p>On {@link BackendUnavailableException} the handler counts a backend error and tells the listener
 * ({@code onError}); then {@link FailurePolicy#FAIL_CLOSED} rethrows it, {@link FailurePolicy#FAIL_OPEN} returns
 * the primitive's "as if the backend said yes" answer and {@link FailurePolicy#FALLBACK_TO_LOCAL} asks the
 * primitive's local implementation, each counted as a fallback and told to the listener
 * ({@code onFallback}). Any other exception passes through untouched: a bad request is not an outage.
 *
 * <pre>{@code
 * FailurePolicyHandler policy = FailurePolicyHandler.builder("ratelimit:api", SUPPORT, configuredPolicy).build();
 * // hot path: no lambda on the success path
 * try {
 *   return askRedis(key);
 * } catch (BackendUnavailableException e) {
 *   return policy.onUnavailable(e, () -> allowAll(key), () -> local.tryAcquire(key));
 * }
 * }</pre>
 *
 * <p>The policy is checked against the primitive's {@link PolicySupport} when the handler is built. Cost: two
 * counters and the listener calls, only on failure. Thread-safe.
 */
public final class FailurePolicyHandler {

  /**
   * Counters since the handler was built; each only grows.
   *
   * @param backendErrors calls that found the backend unavailable
   * @param failOpens answers given by {@link FailurePolicy#FAIL_OPEN}
   * @param localFallbacks answers given by the local implementation
   */
  public record Stats(long backendErrors, long failOpens, long localFallbacks) {

    /**
     * Every answer the policy gave instead of the backend.
     *
     * @return {@code failOpens + localFallbacks}
     */
    public long fallbacks() {
      return failOpens + localFallbacks;
    }
  }

  private final String source;
  private final FailurePolicy policy;
  private final BackendListener listener;
  private final boolean hasListener;
  private final LongAdder backendErrors = new LongAdder();
  private final LongAdder failOpens = new LongAdder();
  private final LongAdder localFallbacks = new LongAdder();

  private FailurePolicyHandler(Builder builder) {
    this.source = builder.source;
    this.policy = builder.policy;
    this.listener = builder.listener;
    this.hasListener = builder.listener != BackendListener.noop();
  }

  /**
   * Starts configuring a handler.
   *
   * @param source the primitive, for events, e.g. {@code "ratelimit:api"}
   * @param support what the primitive supports
   * @param policy the policy its builder was given
   * @return a builder
   * @throws IllegalArgumentException when {@code support} refuses {@code policy}, saying why
   */
  public static Builder builder(String source, PolicySupport support, FailurePolicy policy) {
    Require.nonBlank(source, "source");
    return new Builder(source, Objects.requireNonNull(support, "support").check(policy));
  }

  /**
   * Runs a backend call and applies the policy if the backend is unavailable.
   *
   * @param backend the call to the backend
   * @param failOpen the answer under {@link FailurePolicy#FAIL_OPEN}; only called under that policy
   * @param local the answer under {@link FailurePolicy#FALLBACK_TO_LOCAL}; only called under that policy
   * @param <T> the result type
   * @return the backend's answer, or the policy's
   * @throws BackendUnavailableException under {@link FailurePolicy#FAIL_CLOSED}
   */
  public <T> T call(Supplier<? extends T> backend, Supplier<? extends T> failOpen, Supplier<? extends T> local) {
    try {
      return backend.get();
    } catch (BackendUnavailableException e) {
      return onUnavailable(e, failOpen, local);
    }
  }

  /**
   * Applies the policy to a failure the caller caught itself (for hot paths that avoid a lambda per call).
   *
   * @param error what the backend call threw
   * @param failOpen the answer under {@link FailurePolicy#FAIL_OPEN}; only called under that policy
   * @param local the answer under {@link FailurePolicy#FALLBACK_TO_LOCAL}; only called under that policy
   * @param <T> the result type
   * @return the policy's answer
   * @throws BackendUnavailableException {@code error} itself, under {@link FailurePolicy#FAIL_CLOSED}
   */
  public <T> T onUnavailable(BackendUnavailableException error, Supplier<? extends T> failOpen,
      Supplier<? extends T> local) {
    backendErrors.increment();
    if (hasListener) {
      Listeners.notify(listener, "onError", l -> l.onError(source, error));
    }
    switch (policy) {
      case FAIL_OPEN -> failOpens.increment();
      case FALLBACK_TO_LOCAL -> localFallbacks.increment();
      default -> throw error;
    }
    if (hasListener) {
      Listeners.notify(listener, "onFallback", l -> l.onFallback(source, policy));
    }
    return policy == FailurePolicy.FAIL_OPEN ? failOpen.get() : local.get();
  }

  /**
   * The policy in force.
   *
   * @return the policy given at construction
   */
  public FailurePolicy policy() {
    return policy;
  }

  /**
   * The handler's counters.
   *
   * @return a snapshot
   */
  public Stats stats() {
    return new Stats(backendErrors.sum(), failOpens.sum(), localFallbacks.sum());
  }

  @Override
  public String toString() {
    return "FailurePolicyHandler[" + source + ", " + policy + "]";
  }

  /** Configures a {@link FailurePolicyHandler}. Not thread-safe. */
  public static final class Builder {
    private final String source;
    private final FailurePolicy policy;
    private BackendListener listener = BackendListener.noop();

    private Builder(String source, FailurePolicy policy) {
      this.source = source;
      this.policy = policy;
    }

    /**
     * Hears backend errors ({@code onError}) and fallbacks ({@code onFallback}).
     *
     * @param listener default {@link BackendListener#noop()}
     * @return this builder
     */
    public Builder listener(BackendListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Creates the handler.
     *
     * @return the handler
     */
    public FailurePolicyHandler build() {
      return new FailurePolicyHandler(this);
    }
  }
}
