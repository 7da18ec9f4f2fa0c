package io.distkit.core.session;

import io.distkit.core.FailurePolicy;
import io.distkit.core.internal.Require;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which {@link FailurePolicy failure policies} a primitive supports, and why it refuses the others: declared
 * once per primitive, checked where its builder takes the policy, so that an unsupported choice fails at
 * configuration time with a message that says why.
 *
 * <pre>{@code
 * static final PolicySupport LOCK = PolicySupport.of("lock")
 *     .supports(FailurePolicy.FAIL_CLOSED)
 *     .refuses(FailurePolicy.FAIL_OPEN, "a lock that fails open lets every caller in at once")
 *     .refuses(FailurePolicy.FALLBACK_TO_LOCAL, "a JVM-local lock excludes nobody in other JVMs");
 * builder.failurePolicy(LOCK.check(policy));
 * }</pre>
 *
 * <p>Every policy must be declared one way or the other. Immutable and thread-safe.
 */
public final class PolicySupport {

  private final String primitive;
  private final Set<FailurePolicy> supported;
  private final Map<FailurePolicy, String> refused;

  private PolicySupport(String primitive, Set<FailurePolicy> supported, Map<FailurePolicy, String> refused) {
    this.primitive = primitive;
    this.supported = supported;
    this.refused = refused;
  }

  /**
   * Starts a declaration with no policy supported.
   *
   * @param primitive what the primitive is called in messages, e.g. {@code "lock"}
   * @return a declaration that refuses nothing and supports nothing yet
   */
  public static PolicySupport of(String primitive) {
    return new PolicySupport(Require.nonBlank(primitive, "primitive"), EnumSet.noneOf(FailurePolicy.class),
        new EnumMap<>(FailurePolicy.class));
  }

  /**
   * This declaration, with more policies supported.
   *
   * @param policies policies the primitive gives a meaning to
   * @return a new declaration
   */
  public PolicySupport supports(FailurePolicy... policies) {
    Set<FailurePolicy> more = EnumSet.noneOf(FailurePolicy.class);
    more.addAll(supported);
    for (FailurePolicy policy : policies) {
      more.add(Objects.requireNonNull(policy, "policy"));
    }
    Map<FailurePolicy, String> less = new EnumMap<>(FailurePolicy.class);
    less.putAll(refused);
    more.forEach(less::remove);
    return new PolicySupport(primitive, more, less);
  }

  /**
   * This declaration, with a policy refused for a reason shown to whoever picks it.
   *
   * @param policy the policy the primitive cannot honour
   * @param why one clause, e.g. {@code "a lock that fails open lets every caller in at once"}
   * @return a new declaration
   */
  public PolicySupport refuses(FailurePolicy policy, String why) {
    Objects.requireNonNull(policy, "policy");
    Require.nonBlank(why, "why");
    Set<FailurePolicy> less = EnumSet.noneOf(FailurePolicy.class);
    less.addAll(supported);
    less.remove(policy);
    Map<FailurePolicy, String> more = new EnumMap<>(FailurePolicy.class);
    more.putAll(refused);
    more.put(policy, why);
    return new PolicySupport(primitive, less, more);
  }

  /**
   * Whether a policy is supported.
   *
   * @param policy any policy
   * @return true when declared supported
   */
  public boolean isSupported(FailurePolicy policy) {
    return supported.contains(policy);
  }

  /**
   * Checks a caller's choice.
   *
   * @param policy the policy a builder was given
   * @return {@code policy}, when supported
   * @throws IllegalArgumentException naming the policy, the primitive, the reason and the supported policies
   * @throws IllegalStateException when the declaration itself leaves the policy undeclared (a bug)
   */
  public FailurePolicy check(FailurePolicy policy) {
    Objects.requireNonNull(policy, "failurePolicy");
    if (supported.contains(policy)) {
      return policy;
    }
    String why = refused.get(policy);
    if (why == null) {
      throw new IllegalStateException("PolicySupport of " + primitive + " declares neither support nor a reason "
          + "to refuse " + policy);
    }
    throw new IllegalArgumentException("failurePolicy (" + policy + ") is not supported by a " + primitive + ": "
        + why + "; supported: " + supported);
  }

  /**
   * The supported policies.
   *
   * @return an unmodifiable set
   */
  public Set<FailurePolicy> supported() {
    return Set.copyOf(supported);
  }

  @Override
  public String toString() {
    return "PolicySupport[" + primitive + ", supports " + supported + ", refuses " + refused.keySet() + "]";
  }
}
