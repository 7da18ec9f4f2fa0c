package io.distkit.pool.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.session.Backoff;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.hashing.LocatorConfig;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PooledObjectFactory;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each strategy's picks against its definition, and endpoints ejected on errors or failed checks, probed and
 * brought back, on manual time (pools are filled by the manual scheduler, checks run when the test advances it).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LoadBalancerTest {

  private static final Duration NOW = Duration.ZERO;

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<AutoCloseable> opened = new ArrayList<>();
  /** Endpoints whose health check fails. */
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    scheduler.close();
  }

  /** A pool of {@code size} objects, each the endpoint's id, all idle. */
  private ObjectPool<String> pool(String id, int size) {
    PooledObjectFactory<String> objects = () -> id;
    ObjectPool<String> pool = LocalObjectPool.builder(id, objects).maxSize(size).minIdle(size).clock(clock)
        .scheduler(scheduler).healthCheckInterval(Duration.ofDays(1)).closeTimeout(Duration.ZERO).build();
    opened.add(pool);
    scheduler.runDue();
    return pool;
  }

  private LoadBalancerBuilder<String> balancer(int size, String... ids) {
    LoadBalancerBuilder<String> builder = LoadBalancer.<String>builder("test").clock(clock).scheduler(scheduler)
        .healthCheck(id -> !down.contains(id)).healthCheckInterval(Duration.ZERO)
        .probeBackoff(Backoff.fixed(Duration.ofSeconds(1)));
    for (String id : ids) {
      builder.endpoint(Endpoint.of(id, pool(id, size)));
    }
    return builder;
  }

  private LoadBalancer<String> open(LoadBalancerBuilder<String> builder) {
    LoadBalancer<String> balancer = builder.build();
    opened.add(balancer);
    return balancer;
  }

  /** Picks once and gives the object straight back; returns the endpoint. */
  private static String pick(LoadBalancer<String> balancer, String key) throws InterruptedException {
    try (BalancedLease<String> lease = balancer.tryAcquire(key, NOW).orElseThrow()) {
      assertThat(lease.get()).as("the object comes from the endpoint's pool").isEqualTo(lease.endpoint());
      return lease.endpoint();
    }
  }

  private static List<String> picks(LoadBalancer<String> balancer, int count) throws InterruptedException {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(pick(balancer, null));
    }
    return picked;
  }

  private static BalancedLease<String> hold(LoadBalancer<String> balancer) throws InterruptedException {
    return balancer.acquire(NOW);
  }

  @Test
  void roundRobinTakesEachEndpointInTurn() throws Exception {
    LoadBalancer<String> balancer = open(balancer(2, "a", "b", "c").strategy(BalanceStrategy.roundRobin()));
    assertThat(picks(balancer, 9)).containsExactly("a", "b", "c", "a", "b", "c", "a", "b", "c");
  }

  @Test
  void smoothWeightedRoundRobinInterleavesByWeightAsNginxDoes() throws Exception {
    LoadBalancerBuilder<String> builder = LoadBalancer.<String>builder("weighted").clock(clock).scheduler(scheduler)
        .healthCheckInterval(Duration.ZERO).strategy(BalanceStrategy.weightedRoundRobin())
        .endpoint(new Endpoint<>("a", 5, pool("a", 1))).endpoint(new Endpoint<>("b", 1, pool("b", 1)))
        .endpoint(new Endpoint<>("c", 1, pool("c", 1)));
    LoadBalancer<String> balancer = open(builder);
    assertThat(picks(balancer, 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
    Map<String, Integer> counts = count(picks(balancer, 700));
    assertThat(counts).containsEntry("a", 500).containsEntry("b", 100).containsEntry("c", 100);
  }

  @Test
  void leastOutstandingPicksTheFewestLeasesPerUnitOfWeight() throws Exception {
    LoadBalancerBuilder<String> builder = LoadBalancer.<String>builder("least").clock(clock).scheduler(scheduler)
        .healthCheckInterval(Duration.ZERO).strategy(BalanceStrategy.leastOutstanding())
        .endpoint(new Endpoint<>("a", 2, pool("a", 8))).endpoint(new Endpoint<>("b", 1, pool("b", 8)));
    LoadBalancer<String> balancer = open(builder);
    List<BalancedLease<String>> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      held.add(hold(balancer));
    }
    // a (weight 2) takes two for each one of b
    assertThat(count(held.stream().map(BalancedLease::endpoint).toList())).containsEntry("a", 4).containsEntry("b", 2);
    assertThat(balancer.stats()).extracting(EndpointStats::outstanding).containsExactly(4, 2);
    held.forEach(BalancedLease::close);
    assertThat(balancer.stats()).extracting(EndpointStats::outstanding).containsExactly(0, 0);
  }

  @Test
  void powerOfTwoChoicesPicksEachEndpointAsOftenAsItsDefinitionSays() throws Exception {
    int n = 10;
    Random random = new Random(20261130);
    LoadBalancerBuilder<String> builder = balancer(n, IntStream.range(0, n).mapToObj(i -> "e" + i)
        .toArray(String[]::new)).strategy(BalanceStrategy.powerOfTwoChoices()).randomIndex(random::nextInt);
    LoadBalancer<String> balancer = open(builder);
    // endpoint ei holds i leases: loads 0..9, all different (a lease that would take one over is given back)
    List<BalancedLease<String>> held = new ArrayList<>();
    while (held.size() < n * (n - 1) / 2) {
      BalancedLease<String> lease = hold(balancer);
      int index = Integer.parseInt(lease.endpoint().substring(1));
      if (balancer.stats().get(index).outstanding() > index) {
        lease.close();
      } else {
        held.add(lease);
      }
    }
    assertThat(balancer.stats()).extracting(EndpointStats::outstanding).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    int draws = 20_000;
    Map<String, Integer> counts = count(picks(balancer, draws));
    // two distinct endpoints uniformly, the less loaded wins: ei wins against the n - 1 - i busier ones
    double pairs = n * (n - 1) / 2.0;
    for (int i = 0; i < n; i++) {
      double p = (n - 1 - i) / pairs;
      double expected = draws * p;
      double sigma = Math.sqrt(draws * p * (1 - p));
      assertThat((double) counts.getOrDefault("e" + i, 0)).as("picks of e" + i + " (expected " + expected + ")")
          .isBetween(expected - 4 * sigma - 0.5, expected + 4 * sigma + 0.5);
    }
    held.forEach(BalancedLease::close);
  }

  @Test
  void consistentHashKeepsKeysOnTheirEndpointAndMovesOnlyAnEjectedOnesKeys() throws Exception {
    LoadBalancer<String> balancer = open(balancer(2, "a", "b", "c", "d").ejectAfter(1)
        .strategy(BalanceStrategy.consistentHash(LocatorConfig.rendezvous())));
    Map<String, String> before = new HashMap<>();
    for (int k = 0; k < 1_000; k++) {
      before.put("user:" + k, pick(balancer, "user:" + k));
    }
    assertThat(before.values()).contains("a", "b", "c", "d");
    for (int k = 0; k < 1_000; k++) {
      assertThat(pick(balancer, "user:" + k)).as("the same key, the same endpoint").isEqualTo(before.get("user:" + k));
    }
    down.add("b");
    String onB = before.entrySet().stream().filter(e -> e.getValue().equals("b")).findFirst().orElseThrow().getKey();
    try (BalancedLease<String> lease = balancer.acquire(onB, NOW)) {
      lease.failed(new IllegalStateException("b answered with an error")); // one failure ejects b here
    }
    assertThat(balancer.stats().get(1).healthy()).isFalse();
    for (int k = 0; k < 1_000; k++) {
      String now = pick(balancer, "user:" + k);
      if (before.get("user:" + k).equals("b")) {
        assertThat(now).as("b's keys go elsewhere").isNotEqualTo("b");
      } else {
        assertThat(now).as("the other keys stay").isEqualTo(before.get("user:" + k));
      }
    }
    down.remove("b");
    scheduler.advance(Duration.ofSeconds(1)); // b's probe passes
    assertThat(balancer.stats().get(1).healthy()).isTrue();
    for (int k = 0; k < 1_000; k++) {
      assertThat(pick(balancer, "user:" + k)).as("back where they were").isEqualTo(before.get("user:" + k));
    }
    assertThatThrownBy(() -> balancer.acquire(NOW)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hashes keys");
  }

  @Test
  void anEndpointThatKeepsFailingIsEjectedProbedWhileDownAndBroughtBackWhenItRecovers() throws Exception {
    LoadBalancer<String> balancer = open(balancer(4, "a", "b").ejectAfter(3).strategy(BalanceStrategy.roundRobin()));
    down.add("b");
    int failures = 0;
    while (balancer.stats().get(1).healthy()) {
      try (BalancedLease<String> lease = balancer.acquire(NOW)) {
        if (lease.endpoint().equals("b")) {
          lease.failed(new IllegalStateException("error answer"));
          failures++;
        }
      }
    }
    assertThat(failures).as("ejected after three failures in a row").isEqualTo(3);
    assertThat(picks(balancer, 20)).as("out of rotation").containsOnly("a");

    scheduler.advance(Duration.ofSeconds(5)); // probes every second: b still fails them
    assertThat(balancer.stats().get(1).healthy()).isFalse();
    assertThat(picks(balancer, 10)).containsOnly("a");

    down.remove("b");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(balancer.stats().get(1).healthy()).as("the first probe that passes brings it back").isTrue();
    assertThat(picks(balancer, 10)).containsOnly("a", "b").contains("b");
    EndpointStats b = balancer.stats().get(1);
    assertThat(b.ejections()).isEqualTo(1);
    assertThat(b.failures()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void healthChecksOfHealthyEndpointsEjectOneThatFailsThem() throws Exception {
    LoadBalancer<String> balancer = open(balancer(2, "a", "b").ejectAfter(2)
        .healthCheckInterval(Duration.ofSeconds(1)));
    down.add("a");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(balancer.stats().get(0).healthy()).as("one failed check of two").isTrue();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(balancer.stats().get(0).healthy()).isFalse();
    assertThat(picks(balancer, 6)).containsOnly("b");
  }

  @Test
  void whenEveryEndpointIsOutItPicksAmongAllRatherThanFailEveryCall() throws Exception {
    LoadBalancer<String> balancer = open(balancer(2, "a", "b").ejectAfter(1));
    down.add("a");
    down.add("b");
    for (int i = 0; i < 2; i++) {
      try (BalancedLease<String> lease = balancer.acquire(NOW)) {
        lease.failed(new IllegalStateException("down"));
      }
    }
    assertThat(balancer.stats()).extracting(EndpointStats::healthy).containsExactly(false, false);
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      try (BalancedLease<String> lease = balancer.acquire(NOW)) {
        picked.add(lease.endpoint());
        lease.failed(new IllegalStateException("still down")); // a success would bring the endpoint back
      }
    }
    assertThat(picked).containsExactly("a", "b", "a", "b");
    try (BalancedLease<String> lease = balancer.acquire(NOW)) {
      assertThat(lease.endpoint()).isEqualTo("a");
    }
    assertThat(balancer.stats()).as("a call that worked does not end an ejection").extracting(EndpointStats::healthy)
        .containsExactly(false, false);
    down.remove("a");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(balancer.stats()).as("a's probe passed").extracting(EndpointStats::healthy)
        .containsExactly(true, false);
    assertThat(picks(balancer, 3)).containsOnly("a");
  }

  @Test
  void aStrategyThatFindsNoHealthyEndpointLeftPicksAmongAllInsteadOfLoopingOrFailing() throws Exception {
    // every endpoint out: each strategy finds none eligible and picks among all (panic mode lives in the strategies)
    for (BalanceStrategy strategy : List.of(BalanceStrategy.roundRobin(), BalanceStrategy.weightedRoundRobin(),
        BalanceStrategy.leastOutstanding(), BalanceStrategy.powerOfTwoChoices(),
        BalanceStrategy.consistentHash(LocatorConfig.maglev()))) {
      LoadBalancer<String> balancer = open(balancer(1, "a", "b").ejectAfter(1).strategy(strategy));
      down.add("a");
      down.add("b");
      while (balancer.stats().stream().anyMatch(EndpointStats::healthy)) {
        try (BalancedLease<String> lease = balancer.acquire("k", NOW)) {
          lease.failed(new IllegalStateException("down"));
        }
      }
      String picked = ((EndpointBalancer<String>) balancer).pick("k", false).id();
      assertThat(picked).as(strategy.toString()).isIn("a", "b");
      down.clear();
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    ObjectPool<String> pool = pool("p", 1);
    assertThatThrownBy(() -> LoadBalancer.<String>builder("empty").build())
        .hasMessage("load balancer empty needs at least one endpoint");
    assertThatThrownBy(() -> LoadBalancer.<String>builder("twice").endpoint(Endpoint.of("a", pool))
        .endpoint(Endpoint.of("a", pool)).build()).hasMessage("endpoint id a is given twice");
    assertThatThrownBy(() -> new Endpoint<>("a", 0, pool)).hasMessage("weight (0) of a must be 1 to 1000000");
    assertThatThrownBy(() -> Endpoint.of(" ", pool)).hasMessageContaining("must be 1 to 256 chars");
    assertThatThrownBy(() -> LoadBalancer.<String>builder("x").ejectAfter(0)).hasMessageContaining("ejectAfter");
  }

  private static Map<String, Integer> count(List<String> picked) {
    Map<String, Integer> counts = new HashMap<>();
    picked.forEach(p -> counts.merge(p, 1, Integer::sum));
    return counts;
  }
}
