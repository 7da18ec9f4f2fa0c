package io.distkit.locks.redis;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.ChildJvm;
import io.distkit.core.testing.HoldHistory;
import io.distkit.locks.LockCycles;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * A lock holder in a JVM of its own, on a Redis lock service with server time.
 *
 * <p>Arguments: {@code host port lockName hold}: takes the lock with a renewed 1 s lease, prints
 * {@code holding <token>}, then "writes" with its token every 50 ms whether or not it still holds the lock (as a
 * holder paused between its check and its write would) and prints {@code write <token>} each time, and
 * {@code lost <reason>} when it learns it lost the lock. Or {@code host port lockName cycles <n>}: takes and
 * releases the lock n times, printing each hold as {@code hold <holder> <token> <startMicros> <endMicros>}
 * ({@link HoldHistory.Hold#fields()}), then {@code done}. Or {@code host port semaphoreName permit <permits> <ttlMillis>}:
 * takes a permit with a renewed lease of that TTL, prints {@code holding <token>} and keeps it until killed.
 */
public final class LockHolderProcess {

  private LockHolderProcess() {}

  public static void main(String[] args) throws InterruptedException {
    ChildJvm.exitWhenParentExits();
    RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort(args[0], Integer.parseInt(args[1])))
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1000).build()).build();
    LockService locks = RedisLockService.builder(RedisBackend.create(client))
        .leaseCheckInterval(Duration.ofMillis(100)).recheckInterval(Duration.ofMillis(100)).build();
    String name = args[2];
    if (args[3].equals("hold")) {
      LockHandle lock = locks.tryAcquire(name, Duration.ofSeconds(30), LockLease.renewed(Duration.ofSeconds(1)))
          .orElseThrow();
      lock.whenLost((lease, reason) -> System.out.println("lost " + reason));
      long token = lock.fencingToken().value();
      System.out.println("holding " + token);
      while (true) {
        System.out.println("write " + token);
        Thread.sleep(50);
      }
    }
    if (args[3].equals("permit")) {
      LockHandle permit = locks.semaphore(name, Integer.parseInt(args[4]))
          .tryAcquire(Duration.ofSeconds(30), LockLease.renewed(Duration.ofMillis(Long.parseLong(args[5]))))
          .orElseThrow();
      System.out.println("holding " + permit.fencingToken().value());
      Thread.sleep(Long.MAX_VALUE);
    }
    int cycles = Integer.parseInt(args[4]);
    for (int i = 0; i < cycles; i++) {
      LockHandle lock = locks.tryAcquire(name, Duration.ofSeconds(30), LockLease.fixed(Duration.ofSeconds(10)))
          .orElseThrow();
      long start = HoldHistory.nowMicros();
      long end = LockCycles.holdFor(start, 50);
      System.out.println(String.join(" ",
          new HoldHistory.Hold("child", lock.fencingToken(), start, end).fields()));
      lock.release();
    }
    System.out.println("done");
    locks.close();
    client.close();
  }
}
