package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bounded loads never exceed ceil(c × average), and keys leave their ring node only when it is full. */
class BoundedLoadTest {

  /**
   * The bound, computed exactly: ceil(c × total × weight / totalWeight), with c given as an exact binary
   * fraction (c = cNum / 2^20), so no floating point is involved on the checker's side.
   */
  private static long exactBound(double c, long total, int weight, long totalWeight) {
    long cNum = Math.round(c * (1 << 20));
    assertThat((double) cNum / (1 << 20)).as("c must be an exact binary fraction for this checker").isEqualTo(c);
    BigInteger numerator = BigInteger.valueOf(cNum).multiply(BigInteger.valueOf(total))
        .multiply(BigInteger.valueOf(weight));
    BigInteger denominator = BigInteger.valueOf(totalWeight).shiftLeft(20);
    BigInteger[] qr = numerator.divideAndRemainder(denominator);
    return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
  }

  /** The bound for any double c, exactly: ceil(c × total × weight / totalWeight) over c's exact binary value. */
  private static long exactBoundOf(double c, long total, int weight, long totalWeight) {
    return new BigDecimal(c).multiply(BigDecimal.valueOf(total * weight))
        .divide(BigDecimal.valueOf(totalWeight), 40, RoundingMode.UP).setScale(0, RoundingMode.CEILING)
        .longValueExact();
  }

  /**
   * Issue 12, item 3: a ketama ring where libmemcached gives 39 of 40 servers no point (weight 1 beside 1,562:
   * floor(1 / 1601 × 1600) = 0). Their capacity counts towards the total, so the walk must reach them.
   */
  private static NodeLocator<Node> ketamaWithPointlessServers() {
    List<Node> nodes = new ArrayList<>();
    nodes.add(Node.of("heavy", 1_562));
    for (int i = 0; i < 39; i++) {
      nodes.add(Node.of("light-" + i, 1));
    }
    return LocatorConfig.ketama().locator(nodes);
  }

  @Test
  void anAssignmentHoldsItsBoundOnAKetamaRingWithPointlessServers() {
    // was: IllegalStateException "no node has room"
    NodeLocator<Node> ring = ketamaWithPointlessServers();
    List<String> keys = LocatorAnalysis.sampleKeys(10_000, 3);
    BoundedLoadAssignment<Node> assignment = BoundedLoadAssignment.assign(ring, 1.02, keys);
    long assigned = 0;
    for (Node node : ring.nodes()) {
      long load = assignment.loads().get(node.nodeId());
      assertThat(load).as("load of %s", node).isLessThanOrEqualTo(exactBoundOf(1.02, 10_000, node.weight(), 1_601));
      assigned += load;
    }
    assertThat(assigned).isEqualTo(10_000);
    // ceil(1.02 × 10,000 × 1,562 / 1,601) = 9,952 on the one server with points; the rest on the others
    assertThat(assignment.loads().get("heavy")).isEqualTo(9_952);
  }

  @Test
  void everyRequestHoldsItsBoundOnAKetamaRingWithPointlessServers() {
    // was: request 207 placed on "heavy" with bound 206 (the balancer raised the total when every node it could
    // reach was full)
    NodeLocator<Node> ring = ketamaWithPointlessServers();
    BoundedLoadBalancer<Node> balancer = BoundedLoadBalancer.create(ring, 1.02);
    List<String> keys = LocatorAnalysis.sampleKeys(10_000, 3);
    for (int request = 1; request <= keys.size(); request++) {
      Node node = balancer.acquire(keys.get(request - 1));
      assertThat((long) balancer.load(node.nodeId())).as("load of %s at request %s", node, request)
          .isLessThanOrEqualTo(exactBoundOf(1.02, request, node.weight(), 1_601));
    }
  }

  private static List<Node> weightedNodes(int count, SplittableRandom random) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(Node.of("b-" + i, 1 + random.nextInt(4)));
    }
    return nodes;
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0625, 1.25, 1.5, 2.0})
  void anAssignmentNeverExceedsItsBound(double c) {
    SplittableRandom random = new SplittableRandom(Double.doubleToLongBits(c));
    for (int trial = 0; trial < 20; trial++) {
      List<Node> nodes = weightedNodes(1 + random.nextInt(30), random);
      List<String> keys = LocatorAnalysis.sampleKeys(1 + random.nextInt(5_000), random.nextLong());
      NodeLocator<Node> ring = LocatorConfig.builder(Algorithm.RING).vnodesPerWeight(1 + random.nextInt(100))
          .build().locator(nodes);
      BoundedLoadAssignment<Node> assignment = BoundedLoadAssignment.assign(ring, c, keys);
      long totalWeight = nodes.stream().mapToLong(Node::weight).sum();
      Map<String, Integer> counted = new HashMap<>();
      for (String key : keys) {
        counted.merge(assignment.node(key).nodeId(), 1, Integer::sum);
      }
      for (Node node : nodes) {
        long bound = exactBound(c, keys.size(), node.weight(), totalWeight);
        int load = counted.getOrDefault(node.nodeId(), 0);
        assertThat(load).as("load of %s (weight %s) with %s keys, c %s", node, node.weight(), keys.size(), c)
            .isLessThanOrEqualTo((int) bound);
        assertThat(assignment.loads().get(node.nodeId())).isEqualTo(load);
        assertThat(assignment.capacity(node.nodeId())).isLessThanOrEqualTo(bound);
      }
    }
  }

  @Test
  void aKeyLeavesItsRingNodeOnlyForTheNextNodesWithRoom() {
    NodeLocator<Node> ring = LocatorConfig.ring().locator(TestNodes.named("n", 10));
    List<String> keys = LocatorAnalysis.sampleKeys(50_000, 8);
    double c = 1.02;
    BoundedLoadAssignment<Node> assignment = BoundedLoadAssignment.assign(ring, c, keys);
    Map<String, Integer> loads = assignment.loads();
    long displaced = 0;
    for (String key : keys) {
      Node home = ring.locate(key);
      Node assigned = assignment.node(key);
      if (!assigned.equals(home)) {
        displaced++;
        // it skipped only nodes that are full, walking its preference list in ring order
        for (Node skipped : ring.locate(key, 10)) {
          if (skipped.equals(assigned)) {
            break;
          }
          assertThat((long) loads.get(skipped.nodeId())).isEqualTo(assignment.capacity(skipped.nodeId()));
        }
      }
    }
    // the plain ring is above the bound, so some keys must leave home, but most stay
    assertThat(LocatorAnalysis.balance(ring, keys).peakToMean()).isGreaterThan(c);
    assertThat(displaced).isPositive().isLessThan(keys.size() / 10);
    assertThat(LocatorAnalysis.balance(ring.nodes(), keys, assignment::node).peakToMean()).isLessThanOrEqualTo(c);
  }

  @Test
  void theSameKeysAndNodesGiveTheSameAssignmentInAnyOrder() {
    List<Node> nodes = TestNodes.named("n", 8);
    List<String> keys = new ArrayList<>(LocatorAnalysis.sampleKeys(10_000, 9));
    BoundedLoadAssignment<Node> a = BoundedLoadAssignment.assign(LocatorConfig.ring().locator(nodes), 1.05, keys);
    java.util.Collections.reverse(keys);
    List<Node> reversed = new ArrayList<>(nodes);
    java.util.Collections.reverse(reversed);
    BoundedLoadAssignment<Node> b = BoundedLoadAssignment.assign(LocatorConfig.ring().locator(reversed), 1.05, keys);
    for (String key : keys) {
      assertThat(b.node(key).nodeId()).isEqualTo(a.node(key).nodeId());
    }
  }

  @Test
  void assignmentsRefuseWhatTheyCannotDo() {
    NodeLocator<Node> ring = LocatorConfig.ring().locator(TestNodes.named("n", 3));
    assertThatThrownBy(() -> BoundedLoadAssignment.assign(ring, 1.0, List.of("a")))
        .hasMessage("balanceFactor (1.0) must be above 1 and at most 100");
    assertThatThrownBy(() -> BoundedLoadAssignment.assign(LocatorConfig.jump().locator(TestNodes.named("n", 3)),
        1.5, List.of("a"))).hasMessage("bounded loads walk a ring: the locator must be RING or KETAMA, not JUMP");
    assertThatThrownBy(() -> BoundedLoadAssignment.assign(ring, 1.5, List.of("a", "b", "a")))
        .hasMessage("key 'a' appears twice: keys must be distinct");
    assertThatThrownBy(() -> BoundedLoadAssignment.assign(ring, 1.5, List.of("a")).node("b"))
        .hasMessage("key 'b' is not one of the 1 assigned keys");
  }

  @Test
  void requestsNeverExceedTheBoundWhenPlaced() {
    SplittableRandom random = new SplittableRandom(12);
    List<Node> nodes = weightedNodes(12, random);
    long totalWeight = nodes.stream().mapToLong(Node::weight).sum();
    double c = 1.25;
    BoundedLoadBalancer<Node> balancer = BoundedLoadBalancer.create(LocatorConfig.ring().locator(nodes), c);
    List<Node> inFlight = new ArrayList<>();
    List<String> keys = LocatorAnalysis.sampleKeys(2_000, 13);
    for (int step = 0; step < 50_000; step++) {
      if (!inFlight.isEmpty() && random.nextInt(3) == 0) {
        balancer.release(inFlight.remove(random.nextInt(inFlight.size())));
      } else {
        // skewed keys: a few hot ones, so the bound has work to do
        String key = keys.get(random.nextInt(4) == 0 ? random.nextInt(5) : random.nextInt(keys.size()));
        Node node = balancer.acquire(key);
        inFlight.add(node);
        assertThat((long) balancer.load(node.nodeId()))
            .isLessThanOrEqualTo(exactBound(c, inFlight.size(), node.weight(), totalWeight));
      }
      assertThat(balancer.inFlight()).isEqualTo(inFlight.size());
    }
  }

  @Test
  void aNodeLeaseReleasesItsRequestOnceWhenClosed() {
    List<Node> nodes = TestNodes.named("n", 3);
    BoundedLoadBalancer<Node> balancer = BoundedLoadBalancer.create(LocatorConfig.ring().locator(nodes), 1.25);
    NodeLease<Node> placed = balancer.lease("video-7");
    assertThat(placed.node()).isEqualTo(balancer.locator().locate("video-7")); // its usual node, nothing else held
    assertThat(balancer.load(placed.node().nodeId())).isEqualTo(1);
    try (NodeLease<Node> other = balancer.lease(7L); NodeLease<Node> third = balancer.lease(new byte[] {7})) {
      assertThat(balancer.inFlight()).isEqualTo(3);
      assertThat(other.isOpen()).isTrue();
      assertThat(third.node()).isNotNull();
    }
    assertThat(balancer.inFlight()).isEqualTo(1);
    placed.close();
    placed.close(); // once
    assertThat(placed.isOpen()).isFalse();
    assertThat(balancer.inFlight()).isZero();
    assertThat(balancer.load(placed.node().nodeId())).isZero();
  }

  @Test
  void concurrentRequestsNeverExceedTheFinalBound() throws Exception {
    List<Node> nodes = TestNodes.named("n", 6);
    BoundedLoadBalancer<Node> balancer = BoundedLoadBalancer.create(LocatorConfig.ring().locator(nodes), 1.125);
    int threads = 4;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            // everyone hammers the same few keys: the worst case for the bound
            balancer.acquire("hot-" + (i + thread) % 3);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    long total = (long) threads * perThread;
    assertThat(balancer.inFlight()).isEqualTo(total);
    long sum = 0;
    for (Node node : nodes) {
      // each request was checked against a capacity computed from a total at most the final one
      assertThat((long) balancer.load(node.nodeId())).isLessThanOrEqualTo(exactBound(1.125, total, 1, nodes.size()));
      sum += balancer.load(node.nodeId());
    }
    assertThat(sum).isEqualTo(total);
  }

  @Test
  void releasingWhatWasNotAcquiredIsRefusedAndUpdatesKeepLoads() {
    NodeLocator<Node> ring = LocatorConfig.ring().locator(TestNodes.named("n", 3));
    BoundedLoadBalancer<Node> balancer = BoundedLoadBalancer.create(ring, 2.0);
    assertThatThrownBy(() -> balancer.release(Node.of("n-0")))
        .hasMessage("node 'n-0' holds no request to release");
    Node first = balancer.acquire("k");
    balancer.update(ring.withNode(Node.of("n-3")));
    assertThat(balancer.load(first.nodeId())).isEqualTo(1);
    balancer.release(first);
    assertThat(balancer.inFlight()).isZero();
    assertThat(balancer.locator().size()).isEqualTo(4);
    assertThat(balancer.capacity("n-3")).isEqualTo(1); // ceil(2 × 1 / 4)
  }
}
