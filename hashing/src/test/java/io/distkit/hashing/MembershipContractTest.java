package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Membership} promises, on every backend: run by {@code LocalMembershipTest},
 * {@code RedisMembershipStandaloneTest} and {@code RedisMembershipClusterTest}.
 *
 * <p>Time is a {@link ManualClock} (leases run on it); renewals and polls are scheduled an hour apart unless a
 * test says otherwise, so the test decides when the group is read. Change notifications are real.
 */
public abstract class MembershipContractTest {

  /** Long enough that background renewals and polls never run during a test. */
  protected static final Duration NEVER = Duration.ofHours(1);
  private static final Duration LEASE = Duration.ofSeconds(10);

  protected final ManualClock clock = new ManualClock();
  protected final String group = TestKeys.unique("group");
  private final List<Membership<Node>> opened = new ArrayList<>();

  /**
   * A builder for a membership of {@link #group}, on this backend, with leases on {@link #clock}.
   *
   * @return a builder with every other setting at its default
   */
  protected abstract MembershipBuilder<Node, ?> builder();

  @AfterEach
  void closeAll() {
    opened.forEach(Membership::close);
  }

  private Membership<Node> open(MembershipBuilder<Node, ?> builder) {
    Membership<Node> membership = builder.build();
    opened.add(membership);
    return membership;
  }

  /** A member whose lease (one hour by the manual clock) is never renewed during a test. */
  protected Membership<Node> member(Node self) {
    return member(self, NEVER);
  }

  private Membership<Node> member(Node self, Duration lease) {
    return open(builder().self(self).lease(lease).renewInterval(lease.minusSeconds(1)).pollInterval(NEVER));
  }

  protected Membership<Node> observer() {
    return open(builder().pollInterval(NEVER));
  }

  private static List<String> ids(Membership<Node> membership) {
    return ids(membership.view());
  }

  private static List<String> ids(MembershipView<Node> view) {
    return view.members().stream().map(Node::nodeId).toList();
  }

  @Test
  void membersAndObserversSeeEachOtherAndAgreeWhereEveryKeyLives() {
    Membership<Node> watcher = observer();
    Membership<Node> a = member(Node.of("a"));
    Membership<Node> b = member(Node.of("b", 2));
    Membership<Node> c = member(Node.of("c"));
    List<Membership<Node>> all = List.of(watcher, a, b, c);
    // joins are announced: nobody polls
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (Membership<Node> m : all) {
        assertThat(ids(m)).containsExactly("a", "b", "c");
      }
    });
    long version = watcher.view().version();
    for (Membership<Node> m : all) {
      assertThat(m.view().version()).isEqualTo(version);
      assertThat(m.view().members().get(1).weight()).isEqualTo(2);
    }
    for (String key : LocatorAnalysis.sampleKeys(2_000, 3)) {
      String owner = watcher.locator().locate(key).nodeId();
      for (Membership<Node> m : all) {
        assertThat(m.locator().locate(key).nodeId()).isEqualTo(owner);
      }
    }
    assertThat(b.self()).contains(Node.of("b", 2));
    assertThat(watcher.self()).isEmpty();
  }

  @Test
  void aMemberThatLeavesIsGoneForEveryoneAtOnce() {
    Membership<Node> watcher = observer();
    Membership<Node> a = member(Node.of("a"));
    Membership<Node> b = member(Node.of("b"));
    await().atMost(Duration.ofSeconds(10)).until(() -> ids(watcher).size() == 2 && ids(a).size() == 2);
    long before = watcher.view().version();
    b.close();
    b.close(); // idempotent
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(ids(watcher)).containsExactly("a");
      assertThat(ids(a)).containsExactly("a");
    });
    assertThat(watcher.view().version()).isNotEqualTo(before);
    assertThat(watcher.locator().locate("any key").nodeId()).isEqualTo("a");
    assertThatThrownBy(b::refresh).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
  }

  @Test
  void aMemberThatStopsRenewingDisappearsWhenItsLeaseRunsOut() {
    Membership<Node> watcher = observer();
    List<String> events = new CopyOnWriteArrayList<>();
    open(builder().self(Node.of("silent")).lease(NEVER).renewInterval(NEVER.minusSeconds(1)).pollInterval(NEVER)
        .listener(TestNodes.leaseEvents(events)));
    member(Node.of("steady"), NEVER.multipliedBy(2));
    assertThat(ids(watcher.refresh())).containsExactly("silent", "steady");

    clock.advance(NEVER.minusMillis(1));
    assertThat(ids(watcher.refresh())).as("one millisecond before the lease ends").contains("silent");
    assertThat(events).isEmpty();
    clock.advance(Duration.ofMillis(1));
    MembershipView<Node> atTheEnd = watcher.refresh();
    // when the lease ends the group drops "silent" (this read, or one "silent" made on hearing of it, expired
    // it) and announces it: "silent", alive here (only its renewals are an hour apart), hears that it was dropped
    // and rejoins in its old place
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(events).containsExactly("lost silent", "restored silent");
      assertThat(ids(watcher.view())).containsExactly("silent", "steady");
    });
    assertThat(watcher.view().version()).isNotEqualTo(atTheEnd.version());
  }



  @Test
  void renewingKeepsAMemberPastItsFirstLease() {
    Membership<Node> watcher = observer();
    Membership<Node> renewing = open(builder().self(Node.of("renewing")).lease(LEASE)
        .renewInterval(Duration.ofMillis(20)).pollInterval(NEVER));
    long heartbeats = renewing.stats().heartbeats();
    clock.advance(Duration.ofSeconds(6));
    // the renewals run on real time; each takes the lease from the (manual) time it runs at
    await().atMost(Duration.ofSeconds(10)).until(() -> renewing.stats().heartbeats() >= heartbeats + 2);
    clock.advance(Duration.ofSeconds(6));
    assertThat(ids(watcher.refresh())).as("12 s after joining with a 10 s lease").containsExactly("renewing");
  }

  @Test
  void aMemberHoldsItsLeaseUntilCoresConservativeLocalDeadline() {
    // a 10 s lease: core's margin is 1% (100 ms), so the member stops counting on it 9.9 s after the renewal
    Membership<Node> member = member(Node.of("m"), LEASE);
    clock.advance(Duration.ofMillis(9_899));
    assertThat(member.holdsLease()).as("1 ms before the local deadline").isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(member.holdsLease()).as("at the local deadline, 100 ms before the lease's end").isFalse();
  }

  @Test
  void onAManualSchedulerRenewalsAndPollsRunWhenTimeMovesAndStopWithIt() {
    ManualScheduler manual = new ManualScheduler(clock);
    Membership<Node> watcher = open(builder().scheduler(manual).pollInterval(Duration.ofSeconds(5)));
    Membership<Node> member = open(builder().scheduler(manual).self(Node.of("m")).lease(Duration.ofSeconds(3))
        .renewInterval(Duration.ofSeconds(1)).pollInterval(NEVER));
    long heartbeats = member.stats().heartbeats();
    long reads = watcher.stats().reads();

    manual.advance(Duration.ofSeconds(30));
    assertThat(member.stats().heartbeats()).as("one renewal a second").isEqualTo(heartbeats + 30);
    assertThat(watcher.stats().reads()).as("a poll every 5 s, and re-reads when told of changes")
        .isGreaterThanOrEqualTo(reads + 6);
    assertThat(ids(watcher)).as("30 s on a 3 s lease, renewed").containsExactly("m");
    assertThat(member.holdsLease()).isTrue();

    manual.close(); // no more renewals
    clock.advance(Duration.ofSeconds(3));
    assertThat(member.holdsLease()).isFalse();
    assertThat(ids(watcher.refresh())).isEmpty();
    assertThat(manual.failures()).isEmpty();
  }

  @Test
  void membersAreListedInJoinOrderAndJumpUsesItForBuckets() {
    Membership<Node> watcher = open(builder().locator(LocatorConfig.jump()).pollInterval(NEVER));
    for (String id : List.of("m3", "m1", "m2")) {
      open(builder().self(Node.of(id)).locator(LocatorConfig.jump()).lease(NEVER)
          .renewInterval(NEVER.minusSeconds(1)).pollInterval(NEVER));
    }
    assertThat(ids(watcher.refresh())).containsExactly("m3", "m1", "m2");
    assertThat(watcher.locator().algorithm()).isEqualTo(Algorithm.JUMP);
    assertThat(watcher.locator().nodes()).extracting(Node::nodeId).containsExactly("m3", "m1", "m2");
  }

  @Test
  void theListenerHearsEveryVersionInOrder() {
    List<MembershipView<Node>> heard = new CopyOnWriteArrayList<>();
    List<MembershipView<Node>> previous = new CopyOnWriteArrayList<>();
    // issue 12, item 8: the listener is a functional interface, so a lambda will do
    Membership<Node> watcher = open(builder().pollInterval(NEVER).listener((before, current) -> {
      previous.add(before);
      heard.add(current);
      throw new IllegalStateException("a listener that throws changes nothing");
    }));
    Membership<Node> a = member(Node.of("a"));
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.view().contains("a"));
    Membership<Node> b = member(Node.of("b"));
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.view().contains("b"));
    a.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.view().contains("a"));
    assertThat(b.view()).isNotNull();
    for (int i = 1; i < heard.size(); i++) {
      assertThat(previous.get(i)).as("the view before change %s", i).isSameAs(heard.get(i - 1));
    }
    assertThat(previous.get(0).version()).isEqualTo(-1);
    List<Long> versions = heard.stream().map(MembershipView::version).toList();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
    assertThat(heard.get(heard.size() - 1).members()).extracting(Node::nodeId).containsExactly("b");
    assertThat(watcher.stats().changes()).isEqualTo(heard.size());
  }

  private Membership<Node> jumpMember(String id, Duration lease, MembershipListener<Node> listener) {
    return open(builder().self(Node.of(id)).locator(LocatorConfig.jump()).lease(lease)
        .renewInterval(lease.minusSeconds(1)).pollInterval(NEVER).listener(listener));
  }

  @Test
  void aMemberWhoseLeaseRanOutHearsItAndRejoinsAtItsOldPosition() {
    // issue 12, item 6: under JUMP a member that lost its lease rejoined last and moved most keys
    List<String> events = new CopyOnWriteArrayList<>();
    Membership<Node> watcher = open(builder().locator(LocatorConfig.jump()).pollInterval(NEVER));
    Membership<Node> a = jumpMember("a", Duration.ofSeconds(30), TestNodes.leaseEvents(events));
    jumpMember("b", NEVER, (previous, current) -> {});
    jumpMember("c", NEVER, (previous, current) -> {});
    MembershipView<Node> before = watcher.refresh();
    assertThat(ids(before)).containsExactly("a", "b", "c");
    assertThat(a.holdsLease()).isTrue();
    assertThat(watcher.holdsLease()).as("an observer holds no lease").isFalse();

    // "a" stops renewing (a pause, a partition): its lease runs out and the group drops it
    clock.advance(Duration.ofSeconds(30));
    watcher.refresh();
    // the next read of "a" (the announcement of its expiry, or this one) finds it gone: it hears so, and
    // rejoins at once, in its old place
    a.refresh();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(events).containsExactly("lost a", "restored a");
      assertThat(ids(watcher.view())).containsExactly("a", "b", "c");
    });
    assertThat(a.holdsLease()).isTrue();
    LocatorAnalysis.Movement moved = LocatorAnalysis.movement(before.locator(), watcher.locator(),
        LocatorAnalysis.sampleKeys(10_000, 6));
    assertThat(moved.moved()).as("keys whose owner changed between before and after").isZero();
  }

  @Test
  void aMemberThatLeftGetsItsPositionBackWhenItReturnsSoonAndTheEndOfTheListLater() {
    Membership<Node> watcher = open(builder().locator(LocatorConfig.jump()).pollInterval(NEVER));
    Membership<Node> a = jumpMember("a", NEVER, (previous, current) -> {});
    jumpMember("b", NEVER.multipliedBy(100), (previous, current) -> {});
    assertThat(ids(watcher.refresh())).containsExactly("a", "b");
    a.close();
    assertThat(ids(watcher.refresh())).containsExactly("b");
    // a new process of "a" (nothing remembered on its side): the group remembers its place
    Membership<Node> again = jumpMember("a", NEVER, (previous, current) -> {});
    assertThat(ids(watcher.refresh())).containsExactly("a", "b");
    // positions are remembered for 3 × max(lease, poll interval) after a member leaves: three hours here
    again.close();
    clock.advance(NEVER.multipliedBy(3));
    watcher.refresh();
    jumpMember("a", NEVER, (previous, current) -> {});
    assertThat(ids(watcher.refresh())).containsExactly("b", "a");
  }

  @Test
  void aViewNamesOneMemberListPerVersion() {
    Membership<Node> watcher = observer();
    MembershipView<Node> empty = watcher.refresh();
    assertThat(empty.members()).isEmpty();
    assertThatThrownBy(() -> empty.locator().locate("k")).isInstanceOf(IllegalStateException.class);
    member(Node.of("x"));
    MembershipView<Node> one = watcher.refresh();
    assertThat(one.version()).isNotEqualTo(empty.version());
    assertThat(watcher.refresh().version()).as("nothing changed").isEqualTo(one.version());
    assertThat(watcher.refresh()).isSameAs(watcher.view());
  }

  @Test
  void badSettingsFailFastNamingTheValue() {
    assertThatThrownBy(() -> builder().lease(Duration.ofSeconds(1)).renewInterval(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("renewInterval (PT1S) must be shorter than lease (PT1S)");
    assertThatThrownBy(() -> builder().lease(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("lease (PT0.005S) must be at least 10 ms");
    assertThatThrownBy(() -> builder().pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pollInterval (PT0S) must be positive");
  }
}
