package io.distkit.hashing.local;

import io.distkit.core.Clock;
import io.distkit.hashing.Membership;
import io.distkit.hashing.MembershipBuilder;
import io.distkit.hashing.Node;
import io.distkit.hashing.internal.AbstractMembership;
import io.distkit.hashing.internal.AbstractMembership.Heartbeat;
import io.distkit.hashing.internal.AbstractMembership.Snapshot;
import io.distkit.hashing.internal.MembershipSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
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
   * A group inside this JVM: members by position (the version at which each first joined), each with a lease,
   * and a version that changes with every join, leave, re-weight or expiry. A departed member's position is
   * remembered for {@code 3 × max(lease, pollInterval)}, as in Redis. Thread-safe; nothing here blocks on I/O.
   *
   * @param <N> the node type
   */
  public static final class Group<N extends Node> {

    private record Entry<N>(N node, long expiresNanos, long position) {}

    /** A departed member's position, and when it is forgotten. */
    private record Departed(long position, long forgetAtNanos) {}

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry<N>> members = new HashMap<>();
    private final Map<String, Departed> departed = new HashMap<>();
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

    Heartbeat heartbeat(N node, long leaseNanos, long requestedPosition, long rememberNanos) {
      boolean changed;
      Heartbeat result;
      lock.lock();
      try {
        long now = clock.nanoTime();
        changed = expire(now, rememberNanos);
        Entry<N> previous = members.get(node.nodeId());
        boolean joining = previous == null;
        if (joining || !previous.node().equals(node)) {
          changed = true;
        }
        if (changed) {
          version++;
        }
        long position;
        if (!joining) {
          position = previous.position();
        } else {
          Departed remembered = departed.remove(node.nodeId());
          position = remembered != null ? remembered.position()
              : requestedPosition != AbstractMembership.NO_POSITION ? requestedPosition : version;
        }
        members.put(node.nodeId(), new Entry<>(node, now + leaseNanos, position));
        result = new Heartbeat(version, position, joining);
      } finally {
        lock.unlock();
      }
      if (changed) {
        announce();
      }
      return result;
    }

    Snapshot<N> read(long rememberNanos) {
      boolean changed;
      Snapshot<N> result;
      lock.lock();
      try {
        changed = expire(clock.nanoTime(), rememberNanos);
        if (changed) {
          version++;
        }
        List<Entry<N>> entries = new ArrayList<>(members.values());
        entries.sort(Comparator.comparingLong((Entry<N> e) -> e.position()).thenComparing(e -> e.node().nodeId()));
        List<N> nodes = new ArrayList<>(entries.size());
        entries.forEach(e -> nodes.add(e.node()));
        result = new Snapshot<>(version, nodes);
      } finally {
        lock.unlock();
      }
      if (changed) {
        announce();
      }
      return result;
    }

    void leave(N node, long rememberNanos) {
      boolean changed;
      lock.lock();
      try {
        long now = clock.nanoTime();
        changed = expire(now, rememberNanos);
        Entry<N> gone = members.remove(node.nodeId());
        if (gone != null) {
          departed.put(node.nodeId(), new Departed(gone.position(), now + rememberNanos));
          changed = true;
        }
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

    /** Drops members whose lease ran out, remembering their positions, and forgets old positions; locked. */
    private boolean expire(long now, long rememberNanos) {
      departed.values().removeIf(d -> now - d.forgetAtNanos() >= 0);
      boolean any = false;
      for (Iterator<Map.Entry<String, Entry<N>>> it = members.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Entry<N>> member = it.next();
        if (now - member.getValue().expiresNanos() >= 0) {
          departed.put(member.getKey(), new Departed(member.getValue().position(), now + rememberNanos));
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

    /** How long the group remembers a departed member's position: 3 × max(lease, poll interval), as in Redis. */
    private final long rememberNanos;

    GroupMembership(MembershipSettings<N> settings, Group<N> group) {
      super(settings, group.clock, "local");
      this.group = group;
      long longest = Math.max(settings.lease().toNanos(), settings.pollInterval().toNanos());
      this.rememberNanos = longest > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : 3 * longest;
    }

    @Override
    protected Heartbeat heartbeat(N self, long position) {
      return group.heartbeat(self, settings.lease().toNanos(), position, rememberNanos);
    }

    @Override
    protected Snapshot<N> read() {
      return group.read(rememberNanos);
    }

    @Override
    protected void leave(N self) {
      group.leave(self, rememberNanos);
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
