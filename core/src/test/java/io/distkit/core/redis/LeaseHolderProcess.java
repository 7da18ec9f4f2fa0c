package io.distkit.core.redis;

import io.distkit.core.session.Lease;
import io.distkit.core.session.LeaseRequest;
import io.distkit.core.testing.ChildJvm;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * A naive lease holder in a JVM of its own: takes an exclusive, renewed lease with a fencing token, then
 * "writes" with its token every 50 ms whether or not it still holds the lease (as a holder paused between its
 * check and its write would), and says when it learns the lease was lost.
 *
 * <p>Arguments: {@code host port leaseKey tokenKey ttlMillis}. Prints {@code holding <token>},
 * {@code write <token>} lines and {@code lost <reason>}.
 */
public final class LeaseHolderProcess {

  private LeaseHolderProcess() {}

  public static void main(String[] args) throws InterruptedException {
    ChildJvm.exitWhenParentExits();
    RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort(args[0], Integer.parseInt(args[1])))
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1000).build()).build();
    Duration ttl = Duration.ofMillis(Long.parseLong(args[4]));
    RedisLeases leases = RedisLeases.builder(RedisBackend.create(client)).checkInterval(ttl.dividedBy(10)).build();
    Lease lease = leases.tryAcquire(LeaseRequest.of(args[2], "child", ttl).withFencing(args[3]),
        (lost, reason) -> System.out.println("lost " + reason)).orElseThrow();
    long token = lease.token().orElseThrow().value();
    System.out.println("holding " + token);
    while (true) {
      System.out.println("write " + token);
      Thread.sleep(50);
    }
  }
}
