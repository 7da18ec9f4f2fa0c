package io.distkit.hashing;

import io.distkit.core.internal.Require;
import io.distkit.core.session.Scheduler;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings every {@link Membership} shares; each implementation's builder adds its own. Not thread-safe.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #self}</td><td>none (observe only)</td><td>the node this process joins as</td></tr>
 *   <tr><td>{@link #lease}</td><td>10 s</td><td>how long a member stays without renewing</td></tr>
 *   <tr><td>{@link #renewInterval}</td><td>lease / 3</td><td>how often a member renews its lease</td></tr>
 *   <tr><td>{@link #pollInterval}</td><td>5 s</td><td>how often the group is re-read as a safety net</td></tr>
 *   <tr><td>{@link #locator}</td><td>{@link LocatorConfig#ring()}</td><td>the algorithm of the locators</td></tr>
 *   <tr><td>{@link #listener}</td><td>no-op</td><td>hears about each new version and lost leases</td></tr>
 *   <tr><td>{@link #scheduler}</td><td>{@link Scheduler#shared()}</td><td>runs renewals, polls, re-reads and
 *       listener calls</td></tr>
 * </table>
 *
 * @param <N> the node type
 * @param <B> the concrete builder type
 */
public abstract class MembershipBuilder<N extends Node, B extends MembershipBuilder<N, B>> {

  /** The lease unless configured. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  /** The poll interval unless configured. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

  private @Nullable N self;
  private Duration lease = DEFAULT_LEASE;
  private @Nullable Duration renewInterval;
  private Duration pollInterval = DEFAULT_POLL_INTERVAL;
  private LocatorConfig locator = LocatorConfig.ring();
  private MembershipListener<N> listener = (previous, current) -> {};
  private Scheduler scheduler = Scheduler.shared();

  /** For subclasses. */
  protected MembershipBuilder() {}

  @SuppressWarnings("unchecked")
  private B thisBuilder() {
    return (B) this;
  }

  /**
   * Joins the group as this node. Without it the membership only observes.
   *
   * @param node this process's node; its id must be unique in the group
   * @return this builder
   */
  public B self(N node) {
    Objects.requireNonNull(node, "node");
    NodeChecks.check(node.nodeId(), node.weight());
    this.self = node;
    return thisBuilder();
  }

  /**
   * How long a member stays in the group without renewing: a crashed member disappears this long after its
   * last renewal (plus up to one poll interval until each observer notices). Shorter leases detect crashes
   * sooner; a member paused longer than its lease (a long GC, a network partition) drops out and rejoins.
   *
   * @param lease at least 10 ms (Redis keeps it in whole microseconds); default 10 s
   * @return this builder
   */
  public B lease(Duration lease) {
    this.lease = atLeast(lease, "lease");
    return thisBuilder();
  }

  /**
   * How often a member renews its lease. Must be shorter than the lease, with room for a slow round trip.
   *
   * @param renewInterval at least 10 ms and shorter than the lease; default lease / 3
   * @return this builder
   */
  public B renewInterval(Duration renewInterval) {
    this.renewInterval = atLeast(renewInterval, "renewInterval");
    return thisBuilder();
  }

  /**
   * How often the whole group is re-read even without a notification: the safety net for lost notifications,
   * and what expires crashed members' leases.
   *
   * @param pollInterval at least 10 ms; default 5 s
   * @return this builder
   */
  public B pollInterval(Duration pollInterval) {
    this.pollInterval = atLeast(pollInterval, "pollInterval");
    return thisBuilder();
  }

  /**
   * The algorithm and settings of the locators built for each version. Every observer of a group must use
   * the same, or they will disagree on where keys live.
   *
   * @param locator default {@link LocatorConfig#ring()}
   * @return this builder
   */
  public B locator(LocatorConfig locator) {
    this.locator = Objects.requireNonNull(locator, "locator");
    return thisBuilder();
  }

  /**
   * Hears about each new version, and tells this member when its lease may have run out.
   *
   * @param listener default: does nothing
   * @return this builder
   */
  public B listener(MembershipListener<N> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return thisBuilder();
  }

  /**
   * Where the membership's background work runs: renewals, polls, the re-reads that change notifications ask
   * for, and the listener calls they make. A membership has no thread of its own: its steps run one at a time,
   * in order, on this scheduler's workers (a {@link io.distkit.core.session.SerialExecutor}), and hold one of
   * them only while a step runs. A {@code ManualScheduler} (distkit-core's test-jar) runs them when a test moves
   * its clock.
   *
   * @param scheduler default {@link Scheduler#shared()}; the membership does not close it
   * @return this builder
   */
  public B scheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return thisBuilder();
  }

  /**
   * Starts the membership: joins (when {@link #self} was given) and reads the group once on the calling thread,
   * then keeps renewing and watching in the background, on the {@link #scheduler}.
   *
   * @return the running membership; close it to leave
   * @throws io.distkit.core.BackendUnavailableException when the backend cannot be reached for the first join
   *     and read
   * @throws IllegalArgumentException when the settings contradict each other
   */
  public abstract Membership<N> build();

  /**
   * Hands the settings gathered so far, checked, to an implementation's {@link #build()}.
   *
   * @param receiver takes the settings, e.g. a record's constructor
   * @param <S> what the receiver makes of them
   * @return what the receiver returned
   * @throws IllegalArgumentException when the renew interval is not shorter than the lease
   */
  protected final <S> S settings(SettingsReceiver<N, S> receiver) {
    Duration renew = renewInterval != null ? renewInterval : lease.dividedBy(3);
    if (renew.compareTo(lease) >= 0) {
      throw new IllegalArgumentException("renewInterval (" + renew + ") must be shorter than lease (" + lease + ")");
    }
    return receiver.receive(self, lease, renew, pollInterval, locator, listener, scheduler);
  }

  /**
   * Takes the settings every membership shares, for {@link #settings(SettingsReceiver)}.
   *
   * @param <N> the node type
   * @param <S> what the receiver makes of the settings
   */
  @FunctionalInterface
  protected interface SettingsReceiver<N extends Node, S> {

    /**
     * Takes the settings.
     *
     * @param self the node to join as, or null to observe only
     * @param lease how long a member stays without renewing
     * @param renewInterval how often a member renews, shorter than the lease
     * @param pollInterval how often the group is re-read
     * @param locator the locators' algorithm and settings
     * @param listener hears about new versions
     * @param scheduler runs the background work
     * @return what the implementation makes of them
     */
    S receive(@Nullable N self, Duration lease, Duration renewInterval, Duration pollInterval, LocatorConfig locator,
        MembershipListener<N> listener, Scheduler scheduler);
  }

  private static Duration atLeast(Duration value, String name) {
    Require.positiveNanos(value, name);
    if (value.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException(name + " (" + value + ") must be at least 10 ms");
    }
    return value;
  }
}
