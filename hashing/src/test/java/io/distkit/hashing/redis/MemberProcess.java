package io.distkit.hashing.redis;

import io.distkit.core.redis.RedisBackend;
import io.distkit.hashing.Algorithm;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Membership;
import io.distkit.hashing.MembershipListener;
import io.distkit.hashing.MembershipView;
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
 * <p>Arguments: {@code host port group nodeId leaseMillis renewMillis [algorithm]}. Joins, then stays until its
 * standard input closes (so it never outlives a test JVM that dies). Prints {@code joined <version>}, and
 * {@code lease lost} and {@code lease restored} as its listener hears them, one line each.
 */
public final class MemberProcess {

  private MemberProcess() {}

  public static void main(String[] args) throws IOException {
    HostAndPort redis = new HostAndPort(args[0], Integer.parseInt(args[1]));
    RedisClient client = RedisClient.builder().hostAndPort(redis)
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1000).build()).build();
    RedisMembership.Builder<Node> builder = RedisMembership.builder(RedisBackend.create(client), args[2],
        TestNodes.CODEC)
        .self(Node.of(args[3]))
        .lease(Duration.ofMillis(Long.parseLong(args[4])))
        .renewInterval(Duration.ofMillis(Long.parseLong(args[5])))
        .listener(new MembershipListener<>() {
          @Override
          public void onChange(MembershipView<Node> previous, MembershipView<Node> current) {}

          @Override
          public void onLeaseLost(Node self) {
            say("lease lost");
          }

          @Override
          public void onLeaseRestored(Node self) {
            say("lease restored");
          }
        });
    if (args.length > 6) {
      builder.locator(LocatorConfig.builder(Algorithm.valueOf(args[6])).build());
    }
    Membership<Node> membership = builder.build();
    say("joined " + membership.view().version());
    while (System.in.read() >= 0) {
      // wait for the test to end
    }
    membership.close();
    client.close();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
