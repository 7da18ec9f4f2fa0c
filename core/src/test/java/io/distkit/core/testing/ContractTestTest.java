package io.distkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.RedisClusterClient;

/** The contract-test base itself: one method, three runs, one deployment per run shared with {@code @BeforeEach}. */
class ContractTestTest {

  private static final List<Deployment.Kind> RAN = new CopyOnWriteArrayList<>();
  private Deployment fromBeforeEach;

  @BeforeEach
  void remember(Deployment deployment) {
    fromBeforeEach = deployment;
  }

  @ContractTest
  void runsOncePerDeploymentWithTheSameDeploymentAsItsLifecycleMethods(Deployment deployment) {
    assertThat(deployment).isSameAs(fromBeforeEach);
    RAN.add(deployment.kind());
    if (deployment.isLocal()) {
      assertThatThrownBy(deployment::backend).isInstanceOf(IllegalStateException.class)
          .hasMessage("a local deployment has no Redis");
      return;
    }
    assertThat(deployment.backend()).isSameAs(deployment.backend());
    String pong = deployment.backend().execute(j -> j.ping());
    assertThat(pong).isEqualTo("PONG");
    assertThat(deployment.newClient() instanceof RedisClusterClient).isEqualTo(deployment.isCluster());
    assertThat(deployment.commandStats().calls("ping")).isPositive();
  }

  @ContractTest
  @Deployments(Deployment.Kind.LOCAL)
  void aMethodCanNarrowItsDeployments(Deployment deployment) {
    assertThat(deployment.kind()).isEqualTo(Deployment.Kind.LOCAL);
    RAN.add(deployment.kind());
  }

  @AfterAll
  static void everyDeploymentRan() {
    assertThat(RAN).containsExactlyInAnyOrder(Deployment.Kind.LOCAL, Deployment.Kind.STANDALONE,
        Deployment.Kind.CLUSTER, Deployment.Kind.LOCAL);
  }
}
