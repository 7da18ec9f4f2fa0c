package io.distkit.hashing.redis;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.TimeSource;
import io.distkit.hashing.MembershipBuilder;
import io.distkit.hashing.MembershipContractTest;
import io.distkit.hashing.Node;
import io.distkit.hashing.TestNodes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.UnifiedJedis;

/** The membership contract on Redis, leases on the test's manual clock; one client per membership. */
abstract class RedisMembershipContractTest extends MembershipContractTest {

  private final List<UnifiedJedis> clients = new ArrayList<>();

  /** A new client of this deployment, as a separate JVM would have. */
  abstract UnifiedJedis newClient();

  @AfterEach
  void closeClients() {
    clients.forEach(UnifiedJedis::close);
  }

  @Override
  protected MembershipBuilder<Node, ?> builder() {
    UnifiedJedis client = newClient();
    clients.add(client);
    return RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
        .timeSource(TimeSource.CLIENT).clock(clock);
  }
}
