package io.distkit.examples.snippets;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.hashing.LocatorAnalysis;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.LocatorHolder;
import io.distkit.hashing.Membership;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import io.distkit.hashing.redis.RedisMembership;
import io.distkit.hashing.redis.RedisShardRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.RedisClient;

/** The snippets of hashing/README.md (imports are the ones above). */
final class HashingSnippets {

  private HashingSnippets() {}

  // region node-type
  // your own node type: a stable id (and optionally a weight), and the way back from the id
  record Server(String host, int port) implements Node {
    static Server parse(String nodeId) {
      int colon = nodeId.lastIndexOf(':');
      return new Server(nodeId.substring(0, colon), Integer.parseInt(nodeId.substring(colon + 1)));
    }

    @Override
    public String nodeId() {
      return host + ":" + port;
    }
  }
  // endregion

  static void locators() {
    // region locators
    Server a = new Server("10.0.0.1", 6379);
    Server b = new Server("10.0.0.2", 6379);
    Server c = new Server("10.0.0.3", 6379);
    NodeLocator<Server> locator = LocatorConfig.maglev().locator(List.of(a, b, c));
    Server primary = locator.locate("user:42");                 // String, byte[] or long keys
    List<Server> replicas = locator.locate("user:42", 2);       // 2 distinct servers, in preference order

    // snapshots are immutable: changes make a new locator, a holder swaps it in atomically
    Server d = new Server("10.0.0.4", 6379);
    LocatorHolder<Server> servers = LocatorHolder.of(locator);
    servers.update(current -> current.withNode(d));             // readers never lock
    Server owner = servers.current().locate("user:42");

    // measure it
    List<String> sample = LocatorAnalysis.sampleKeys(1_000_000, 42);
    LocatorAnalysis.Balance balance = LocatorAnalysis.balance(locator, sample);     // peakToMean(), relativeStdDev()
    LocatorAnalysis.Movement moved = LocatorAnalysis.movement(locator, locator.withNode(d), sample); // fraction()
    // endregion
    System.out.println(primary + " " + replicas + " " + owner + " " + balance + " " + moved);
  }

  static void membership() {
    // region membership
    RedisClient jedis = RedisClient.create("localhost", 6379);
    Codec<Server> serverCodec = Codec.utf8().as(Server::parse, Server::nodeId); // stores the id
    Server thisServer = new Server("10.0.0.7", 6379);

    Membership<Server> group = RedisMembership.builder(RedisBackend.create(jedis), "cache-tier", serverCodec)
        .self(thisServer)                       // omit to observe without joining
        .locator(LocatorConfig.rendezvous())    // every member and observer must use the same
        .build();                               // joins, reads, then renews and watches in the background
    Server owner = group.locator().locate("user:42");
    group.close();                              // leaves
    // endregion
    System.out.println(owner);
    jedis.close();
  }

  static void sharding() {
    // region sharding
    Server a = new Server("10.0.0.1", 6379);
    Server b = new Server("10.0.0.2", 6379);
    Server c = new Server("10.0.0.3", 6379);
    RedisShardRouter<Server> shards = RedisShardRouter.<Server>builder()
        .shard(a, RedisBackend.create(RedisClient.create(a.host(), a.port())))
        .shard(b, RedisBackend.create(RedisClient.create(b.host(), b.port())))
        .shard(c, RedisBackend.create(RedisClient.create(c.host(), c.port())))
        .replicationFactor(3)                   // N: each key on three servers
        .writeQuorum(2)                         // W: acknowledged by two
        .readQuorum(2)                          // R: a read asks two; R + W > N, so it sees the latest write
        .build();
    shards.set("session:42", "payload".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(30));
    byte[] session = shards.get("session:42");
    // endregion
    System.out.println(session == null ? "none" : new String(session, StandardCharsets.UTF_8));
    shards.close();
  }
}
