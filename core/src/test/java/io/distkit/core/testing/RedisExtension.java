package io.distkit.core.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests real Redis servers: a parameter of type {@link RedisServerProcess} gets the shared standalone
 * server, one of type {@link RedisCluster} the shared 3-master cluster (see {@link RedisServers}).
 *
 * <pre>{@code
 * @ExtendWith(RedisExtension.class)
 * class MyRedisTest {
 *   @Test
 *   void works(RedisCluster cluster) {
 *     try (var client = cluster.newClient()) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>When no Redis can be started the test fails, with a message saying how to get a redis-server. It never
 * skips.
 */
public final class RedisExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == RedisServerProcess.class || type == RedisCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    try {
      return type == RedisServerProcess.class ? RedisServers.standalone() : RedisServers.cluster();
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("Cannot provide a real " + type.getSimpleName() + " for "
          + context.getDisplayName() + ": " + e.getMessage(), e);
    }
  }
}
