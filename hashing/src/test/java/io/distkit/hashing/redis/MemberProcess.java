package io.distkit.hashing.redis;

import io.distkit.core.redis.RedisBackend;
import io.distkit.hashing.Membership;
import io.distkit.hashing.Node;
import io.distkit.hashing.TestNodes;
import java.io.IOException;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * A group member in a JVM of its own, so a test can kill it as a crash would (SIGKILL: no leave, no cleanup).
 *
 * <p>Arguments: {@code host port group nodeId leaseMillis renewMillis}. Joins, then stays until its standard
 * input closes (so it never outlives a test JVM that dies).
 */
public final class MemberProcess {

  private MemberProcess() {}

  public static void main(String[] args) throws IOException {
    HostAndPort redis = new HostAndPort(args[0], Integer.parseInt(args[1]));
    RedisClient client = RedisClient.builder().hostAndPort(redis)
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1000).build()).build();
    Membership<Node> membership = RedisMembership.builder(RedisBackend.create(client), args[2], TestNodes.CODEC)
        .self(Node.of(args[3]))
        .lease(Duration.ofMillis(Long.parseLong(args[4])))
        .renewInterval(Duration.ofMillis(Long.parseLong(args[5])))
        .build();
    System.out.println("joined " + membership.view().version());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the test to end
    }
    membership.close();
    client.close();
  }
}
