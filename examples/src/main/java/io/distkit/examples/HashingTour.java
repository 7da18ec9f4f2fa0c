package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.hashing.BoundedLoadAssignment;
import io.distkit.hashing.BoundedLoadBalancer;
import io.distkit.hashing.LocatorAnalysis;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Membership;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import io.distkit.hashing.redis.RedisMembership;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The Tour's hashing section: the five locators, movement, bounded loads, and membership in Redis. */
final class HashingTour implements TourSection {

  private static final List<LocatorConfig> ALGORITHMS = List.of(LocatorConfig.ring(), LocatorConfig.ketama(),
      LocatorConfig.jump(), LocatorConfig.rendezvous(), LocatorConfig.maglev());

  /** Tour nodes are just names: the codec stores the name. */
  private static final Codec<Node> NAMES = Codec.utf8().as(Node::of, Node::nodeId);

  private static List<Node> servers(int count) {
    List<Node> servers = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      servers.add(Node.of("cache-" + i));
    }
    return servers;
  }

  @Override
  public void runLocal(PrintStream out) {
    heading(out, "hashing: where does 'user:42' live? (4 servers, 3 replicas)");
    List<Node> four = servers(4);
    for (LocatorConfig config : ALGORITHMS) {
      NodeLocator<Node> locator = config.locator(four);
      out.printf(Locale.ROOT, "%-10s -> %-8s replicas %s%n", config.algorithm(), locator.locate("user:42"),
          locator.locate("user:42", 3));
    }

    heading(out, "hashing: adding a 5th server (100,000 keys)");
    List<String> keys = LocatorAnalysis.sampleKeys(100_000, 42);
    for (LocatorConfig config : ALGORITHMS) {
      NodeLocator<Node> locator = config.locator(four);
      LocatorAnalysis.Movement moved = LocatorAnalysis.movement(locator, locator.withNode(Node.of("cache-5")), keys);
      LocatorAnalysis.Balance balance = LocatorAnalysis.balance(locator, keys);
      out.printf(Locale.ROOT, "%-10s moved %5.2f%% of keys (ideal 20.00%%), peak-to-mean before %.3f%n",
          config.algorithm(), 100 * moved.fraction(), balance.peakToMean());
    }

    heading(out, "hashing: bounded loads, 64 partitions over 4 servers (c = 1.1), then a 5th joins");
    List<String> partitions = new ArrayList<>();
    for (int p = 0; p < 64; p++) {
      partitions.add("partition-" + p);
    }
    NodeLocator<Node> ring = LocatorConfig.ring().locator(four);
    BoundedLoadAssignment<Node> assignment = BoundedLoadAssignment.assign(ring, 1.1, partitions);
    out.println("partitions per server " + assignment.loads() + " (never above ceil(1.1 × 64 / 4) = "
        + assignment.capacity("cache-1") + ")");
    BoundedLoadAssignment<Node> grown = assignment.withLocator(ring.withNode(Node.of("cache-5")));
    out.println("cache-5 joins: " + assignment.movedKeys(grown).size() + " partitions hand over, cache-5 now holds "
        + grown.loads().get("cache-5") + " (the least that must move)");

    heading(out, "hashing: bounded loads, 1,000 requests for one hot key (c = 1.25)");
    BoundedLoadBalancer<Node> balancer = BoundedLoadBalancer.create(LocatorConfig.ring().locator(four), 1.25);
    Map<String, Integer> perServer = new TreeMap<>();
    for (int i = 0; i < 1_000; i++) {
      perServer.merge(balancer.acquire("video:cat").nodeId(), 1, Integer::sum);
    }
    out.println("in flight per server " + perServer + " (never above ceil(1.25 × 1000 / 4) = 313)");
  }

  @Override
  public void runRedis(PrintStream out, RedisBackend redis, String where) {
    heading(out, "hashing: membership in Redis at " + where);
    String group = "tour-" + UUID.randomUUID();
    Duration fast = Duration.ofMillis(200);
    List<Membership<Node>> members = new ArrayList<>();
    try {
      for (Node server : servers(3)) {
        members.add(RedisMembership.builder(redis, group, NAMES).self(server).pollInterval(fast).build());
      }
      Membership<Node> first = members.get(0);
      Membership<Node> last = members.get(members.size() - 1);
      // the last one to join read the whole group; the others hear of it by pub/sub, or at the next poll
      first.refresh();
      out.println("members              " + first.view().members() + " (version " + first.view().version() + ")");
      out.println("all agree on version " + (first.view().version() == last.view().version()));
      out.println("'user:42' lives on   " + first.locator().locate("user:42") + " for every member");
      last.close();
      out.println("after one leaves     " + first.refresh().members());
    } finally {
      members.forEach(Membership::close);
    }
  }
}
