package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import io.distkit.core.session.LeaseRequest;
import io.distkit.core.testing.ChildJvm;
import io.distkit.core.testing.FencedRegister;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * A holder frozen (SIGSTOP) past its lease: another takes over with a higher token, the frozen one's late
 * writes are rejected by the fenced register, and it learns it lost the lease once it runs again.
 */
class FencedLeaseProcessTest {

  private static final Duration TTL = Duration.ofMillis(1000);

  @Test
  void aHolderPausedPastItsLeaseIsFencedOffAndToldItLostTheLease() {
    RedisServerProcess redis = RedisServers.standalone();
    String name = TestKeys.unique("fenced");
    RedisKeys keys = RedisKeys.of("test");
    String leaseKey = keys.key(name, "leases");
    String tokenKey = keys.key(name, "token");
    FencedRegister<String> register = new FencedRegister<>();
    try (ChildJvm child = ChildJvm.start(LeaseHolderProcess.class, RedisServerProcess.HOST,
            Integer.toString(redis.port()), leaseKey, tokenKey, Long.toString(TTL.toMillis()));
        RedisClient client = redis.newClient();
        RedisLeases leases = RedisLeases.builder(RedisBackend.create(client)).checkInterval(Duration.ofMillis(100))
            .build()) {
      long childToken = Long.parseLong(child.awaitLine(l -> l.startsWith("holding "), Duration.ofSeconds(60))
          .substring("holding ".length()));
      assertThat(register.write(new FencingToken(childToken), "child")).isTrue();
      LeaseRequest mine = LeaseRequest.of(leaseKey, "parent", TTL).withFencing(tokenKey);
      assertThat(leases.tryAcquire(mine, (l, r) -> { })).as("the child holds it").isEmpty();

      child.pause();
      long pausedAt = System.nanoTime();
      Lease lease = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> leases.tryAcquire(mine, (l, r) -> { }), Optional::isPresent).orElseThrow();
      Duration takeover = Duration.ofNanos(System.nanoTime() - pausedAt);
      assertThat(takeover).as("not before the child's lease ran out on the server").isGreaterThan(TTL.dividedBy(2));
      FencingToken parentToken = lease.token().orElseThrow();
      assertThat(parentToken.value()).isGreaterThan(childToken);
      assertThat(register.write(parentToken, "parent")).isTrue();

      int linesBefore = child.output().size();
      child.resume();
      child.awaitLine(l -> l.startsWith("lost "), Duration.ofSeconds(10));
      assertThat(child.output()).contains("lost EXPIRED");
      // the child's writes after it resumed arrive with its old token: every one is rejected
      List<String> late = await().atMost(Duration.ofSeconds(10)).until(
          () -> child.output().subList(linesBefore, child.output().size()).stream()
              .filter(l -> l.startsWith("write ")).toList(), writes -> writes.size() >= 3);
      for (String write : late) {
        assertThat(register.write(new FencingToken(Long.parseLong(write.substring("write ".length()))), "child"))
            .isFalse();
      }
      assertThat(register.staleWrites()).isEqualTo(late.size());
      assertThat(register.value()).isEqualTo("parent");
      assertThat(lease.isValid()).isTrue();
    }
  }
}
