package io.distkit.hashing.redis;

import io.distkit.core.Clock;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.redis.TimeSource;
import io.distkit.hashing.Membership;
import io.distkit.hashing.MembershipBuilder;
import io.distkit.hashing.Node;
import io.distkit.hashing.internal.MembershipSettings;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@link Membership} of a group kept in Redis (standalone, Sentinel or Cluster): members renew leases by the Redis
 * server's clock, every change bumps a version and is announced on a pub/sub channel, and every observer
 * re-reads the group on each announcement and every poll interval, expiring crashed members as it reads.
 *
 * <pre>{@code
 * Membership<Server> group = RedisMembership.builder(RedisBackend.create(jedis), "cache-tier", serverCodec)
 *     .self(thisServer)
 *     .lease(Duration.ofSeconds(10))
 *     .locator(LocatorConfig.rendezvous())
 *     .build();
 * Server owner = group.locator().locate("user:42");
 * }</pre>
 *
 * <h2>In Redis</h2>
 * Six keys under one hash tag, {@code <prefix>:hashing:{<group>}:members|leases|joined|meta|departed|version}, and
 * the channel {@code <prefix>:hashing:{<group>}:events}. Each operation (renew, read, leave) is one script: it
 * expires leases that ran out, applies the change, bumps the version and publishes it, all atomically, so a
 * version always names one member list. Times are the server's clock in microseconds (core's time prelude) and
 * never go back for a group; the leases are a core lease set; the version is a core fencing token,
 * {@code max(last + 1, now in µs)}, so it only grows, also across a failover that loses the latest writes. Members
 * are listed by position (the version at which each first joined); a departed member's position is remembered for
 * the keys' time to live, and a member also remembers its own, so one that comes back (after its lease ran out, a
 * restart of Redis or of its process) gets its old place. The keys' time to live is
 * {@code 3 × max(lease, pollInterval)}, refreshed by every call and never shortened, so a group nobody uses
 * anymore disappears. Stored values carry a format version: a member's data is its codec's bytes behind the byte
 * 1, the version and the group's layout ({@code meta}'s {@code format}) are format 1; a script that meets another
 * format fails instead of guessing.
 *
 * <h2>Timing</h2>
 * A member that crashes (or is cut off) disappears for every observer within {@code lease + pollInterval} of
 * its last renewal; a member that leaves ({@link Membership#close()}) or joins is seen at once through
 * pub/sub, or within one poll interval when a notification is lost.
 *
 * <h2>Cost</h2>
 * Threads: none of its own; renewals, polls and re-reads run on the {@linkplain Builder#scheduler scheduler}, one
 * at a time per membership. Connections: pub/sub goes through one {@link RedisSubscriptions} hub per client (given
 * with {@link Builder#subscriptions}, else the client's shared hub, one per client and scheduler, shared with every
 * other primitive on them whatever {@link RedisBackend} each was built on). The hub holds one connection of the
 * client's pool
 * (one per master with sharded pub/sub on Redis Cluster 7) for as long as any of its subscriptions lasts, read by
 * its one blocking reader (started through the scheduler's {@code executeBlocking}, a virtual thread on Java
 * 21+); scripts borrow a pool connection per call. Round trips: one {@code EVALSHA} per renewal (a second, a
 * read, only when the renewal finds a new version), per poll, per re-read and per leave.
 *
 * <h2>When Redis is down</h2>
 * {@code build()} throws {@link io.distkit.core.BackendUnavailableException} when the first join and read fail.
 * Later, the membership keeps its last view and retries each interval (the backend's guard makes the retries
 * cheap); the subscription reconnects with backoff through the guard and, once live again, the membership
 * re-reads at once, since announcements made meanwhile were lost. See {@link Membership} for what happens to its
 * own lease.
 */
public final class RedisMembership {

  private RedisMembership() {}

  /**
   * Starts configuring a membership of a group.
   *
   * @param backend the Redis to keep the group in
   * @param group the group's name: any non-blank text up to 1,024 bytes of UTF-8
   * @param codec turns nodes into bytes and back; every member and observer of the group must use the same
   * @param <N> the node type
   * @return a builder with every setting at its default
   */
  public static <N extends Node> Builder<N> builder(RedisBackend backend, String group, Codec<N> codec) {
    return new Builder<>(backend, group, codec);
  }

  /**
   * Configures a {@link RedisMembership}: the settings of {@link MembershipBuilder} and these.
   *
   * <table>
   *   <caption>Redis settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #timeSource}</td><td>{@link TimeSource#SERVER}</td><td>whose clock leases run on</td></tr>
   *   <tr><td>{@link #clock}</td><td>{@link Clock#system()}</td><td>this member's local lease count, and the
   *       client clock for {@link TimeSource#CLIENT}</td></tr>
   *   <tr><td>{@link #keyPrefix}</td><td>{@value RedisKeys#DEFAULT_PREFIX}</td><td>the keys' prefix</td></tr>
   * </table>
   *
   * @param <N> the node type
   */
  public static final class Builder<N extends Node> extends MembershipBuilder<N, Builder<N>> {
    private final RedisBackend backend;
    private final String group;
    private final Codec<N> codec;
    private TimeSource timeSource = TimeSource.SERVER;
    private Clock clock = Clock.system();
    private String keyPrefix = RedisKeys.DEFAULT_PREFIX;
    private @Nullable RedisSubscriptions subscriptions;

    private Builder(RedisBackend backend, String group, Codec<N> codec) {
      this.backend = Objects.requireNonNull(backend, "backend");
      this.group = RedisKeys.checkName(group);
      this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Whose clock leases run on: the Redis server's (every JVM agrees, however skewed their clocks) or this
     * JVM's {@link #clock} (for tests driven by a manual clock). Either way a group's time never goes back.
     *
     * @param timeSource default {@link TimeSource#SERVER}
     * @return this builder
     */
    public Builder<N> timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * This JVM's clock: its monotonic time counts the member's lease locally ({@link Membership#holdsLease()},
     * {@code onLeaseLost}), and with {@link TimeSource#CLIENT} it is the leases' time in Redis, as
     * {@link RedisTime} defines client time (its wall time when the membership is built, then its monotonic time).
     *
     * @param clock default {@link Clock#system()}
     * @return this builder
     */
    public Builder<N> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The prefix of the group's keys, e.g. one per application or environment sharing a Redis.
     *
     * @param keyPrefix see {@link RedisKeys#of(String, String)}; default {@value RedisKeys#DEFAULT_PREFIX}
     * @return this builder
     */
    public Builder<N> keyPrefix(String keyPrefix) {
      RedisKeys.of(keyPrefix, "hashing"); // checks it
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * The pub/sub hub that carries the group's change notifications: pass the client's one hub to share its
     * connection with other primitives. Its {@link RedisSubscriptions#publishCommand() publish command} is the one
     * the scripts announce changes with, so every JVM of a group must choose plain or sharded pub/sub alike.
     *
     * @param subscriptions the caller's hub, which the membership does not close (closing the membership ends its
     *     subscription); default: the client's shared hub
     *     ({@link RedisSubscriptions#shared(RedisBackend, io.distkit.core.session.Scheduler, Clock)}), one per
     *     client and scheduler whatever {@link RedisBackend} each primitive was built on
     * @return this builder
     */
    public Builder<N> subscriptions(RedisSubscriptions subscriptions) {
      this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
      return this;
    }

    @Override
    public Membership<N> build() {
      MembershipSettings<N> settings = settings(MembershipSettings::new);
      RedisSubscriptions.Share pubsub = subscriptions != null ? subscriptions.share()
          : RedisSubscriptions.shared(backend, settings.scheduler(), clock);
      RedisGroupMembership<N> membership = new RedisGroupMembership<>(settings, backend,
          RedisKeys.of(keyPrefix, "hashing"), group, codec, RedisTime.of(timeSource, clock), clock, pubsub);
      membership.start();
      return membership;
    }
  }
}
