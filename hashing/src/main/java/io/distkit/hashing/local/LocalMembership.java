package io.distkit.hashing.local;

import io.distkit.core.Clock;
import io.distkit.hashing.Membership;
import io.distkit.hashing.MembershipBuilder;
import io.distkit.hashing.Node;
import io.distkit.hashing.internal.AbstractMembership;
import io.distkit.hashing.internal.AbstractMembership.Snapshot;
import io.distkit.hashing.internal.MembershipSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Membership} of a group that lives in this JVM: the same leases, versions and locators as
 * {@code RedisMembership}, without a server. Members and observers of one {@link Group} see each other;
 * changes are announced to every membership of the group at once (no pub/sub needed), and polls expire
 * leases as in Redis.
 *
 * <pre>{@code
 * LocalMembership.Group<Node> group = LocalMembership.Group.create(Clock.system());
 * Membership<Node> a = LocalMembership.builder(group).self(Node.of("a")).build();
 * Membership<Node> observer = LocalMembership.builder(group).build();
 * }</pre>
 *
 * <p>Leases are measured with the group's {@link Clock} (a {@code ManualClock} in tests). Thread-safe.
 */
public final class LocalMembership {

  private LocalMembership() {}

  /**
   * Starts configuring a membership of a group.
   *
   * @param group the group to join or observe
   * @param <N> the node type
   * @return a builder with every setting at its default
   */
  public static <N extends Node> Builder<N> builder(Group<N> group) {
    return new Builder<>(Objects.requireNonNull(group, "group"));
  }

  /** Configures a {@link LocalMembership}; see {@link MembershipBuilder} for the settings. */
  public static final class Builder<N extends Node> extends MembershipBuilder<N, Builder<N>> {
    private final Group<N> group;

    private Builder(Group<N> group) {
      this.group = group;
    }

    @Override
    public Membership<N> build() {
      GroupMembership<N> membership = new GroupMembership<>(settings(MembershipSettings::new), group);
      membership.start();
      return membership;
    }
  }

  /**
   * A group inside this JVM: members in join order, each with a lease, and a version that changes with every
   * join, leave, re-weight or expiry. Thread-safe; nothing here blocks on I/O.
   *
   * @param <N> the node type
   */
  public static final class Group<N extends Node> {

    private record Entry<N>(N node, long expiresNanos) {}

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Insertion order is join order; a renewal or re-weight keeps a member's place. */
    private final Map<String, Entry<N>> members = new LinkedHashMap<>();
    private final Set<GroupMembership<N>> watchers = new CopyOnWriteArraySet<>();
    private long version;

    private Group(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * An empty group whose leases run on a clock.
     *
     * @param clock measures leases; {@link Clock#system()} in production
     * @param <N> the node type
     * @return the group
     */
    public static <N extends Node> Group<N> create(Clock clock) {
      return new Group<>(clock);
    }

    long heartbeat(N node, long leaseNanos) {
      boolean changed;
      long result;
      lock.lock();
      try {
        long now = clock.nanoTime();
        changed = expire(now);
        Entry<N> previous = members.get(node.nodeId());
        if (previous == null || !previous.node().equals(node)) {
          changed = true;
        }
        members.put(node.nodeId(), new Entry<>(node, now + leaseNanos));
        result = changed ? ++version : version;
      } finally {
        lock.unlock();
      }
      if (changed) {
        announce();
      }
      return result;
    }

    Snapshot<N> read() {
      boolean changed;
      Snapshot<N> result;
      lock.lock();
      try {
        changed = expire(clock.nanoTime());
        if (changed) {
          version++;
        }
        List<N> nodes = new ArrayList<>(members.size());
        members.values().forEach(e -> nodes.add(e.node()));
        result = new Snapshot<>(version, nodes);
      } finally {
        lock.unlock();
      }
      if (changed) {
        announce();
      }
      return result;
    }

    void leave(N node) {
      boolean changed;
      lock.lock();
      try {
        changed = expire(clock.nanoTime()) | members.remove(node.nodeId()) != null;
        if (changed) {
          version++;
        }
      } finally {
        lock.unlock();
      }
      if (changed) {
        announce();
      }
    }

    /** Drops members whose lease ran out; the lock is held. */
    private boolean expire(long now) {
      boolean any = false;
      for (Iterator<Entry<N>> it = members.values().iterator(); it.hasNext(); ) {
        if (now - it.next().expiresNanos() >= 0) {
          it.remove();
          any = true;
        }
      }
      return any;
    }

    private void announce() {
      for (GroupMembership<N> watcher : watchers) {
        watcher.changed();
      }
    }

    void watch(GroupMembership<N> membership) {
      watchers.add(membership);
    }

    void unwatch(GroupMembership<N> membership) {
      watchers.remove(membership);
    }

    @Override
    public String toString() {
      lock.lock();
      try {
        return "LocalMembership.Group[version " + version + ", " + members.keySet() + "]";
      } finally {
        lock.unlock();
      }
    }
  }

  /** A membership of a {@link Group}. */
  private static final class GroupMembership<N extends Node> extends AbstractMembership<N> {
    private final Group<N> group;

    GroupMembership(MembershipSettings<N> settings, Group<N> group) {
      super(settings, "local");
      this.group = group;
    }

    @Override
    protected long heartbeat(N self) {
      return group.heartbeat(self, settings.lease().toNanos());
    }

    @Override
    protected Snapshot<N> read() {
      return group.read();
    }

    @Override
    protected void leave(N self) {
      group.leave(self);
    }

    @Override
    protected void startListening() {
      group.watch(this);
    }

    @Override
    protected void stopListening() {
      group.unwatch(this);
    }

    void changed() {
      requestRefresh();
    }
  }
}
