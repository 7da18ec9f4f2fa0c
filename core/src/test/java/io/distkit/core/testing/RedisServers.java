package io.distkit.core.testing;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where tests get their Redis: one shared standalone server and one shared 3-master cluster per test JVM,
 * started on first use and killed when the JVM exits, plus dedicated servers for tests that break them.
 *
 * <p>Tests that share a server isolate themselves by key ({@link TestKeys}), never by {@code FLUSHALL}, and
 * never stop, pause or otherwise break a shared server: fault tests start a dedicated one with
 * {@link #startStandalone()} or {@link #startCluster(int, int)} and close it.
 */
public final class RedisServers {

  private static final Logger log = LoggerFactory.getLogger(RedisServers.class);

  private static volatile RedisServerProcess standalone;
  private static volatile RedisCluster cluster;

  private RedisServers() {}

  /**
   * The shared standalone server. Do not stop, pause or flush it.
   *
   * @return a running server
   */
  public static RedisServerProcess standalone() {
    RedisServerProcess result = standalone;
    if (result == null) {
      synchronized (RedisServers.class) {
        result = standalone;
        if (result == null) {
          result = startStandalone();
          log.info("Shared Redis for tests: {} ({})", result, result.binary());
          standalone = result;
        }
      }
    }
    return result;
  }

  /**
   * The shared Redis Cluster: 3 masters, no replicas. Do not stop, pause or flush its nodes.
   *
   * @return a healthy cluster
   */
  public static RedisCluster cluster() {
    RedisCluster result = cluster;
    if (result == null) {
      synchronized (RedisServers.class) {
        result = cluster;
        if (result == null) {
          result = startCluster(3, 0);
          log.info("Shared Redis Cluster for tests: {} ({})", result, RedisBinary.locate());
          cluster = result;
        }
      }
    }
    return result;
  }

  /**
   * A standalone server of the caller's own. The caller closes it.
   *
   * @return a running server
   */
  public static RedisServerProcess startStandalone() {
    return RedisServerProcess.start(List.of());
  }

  /**
   * A standalone server of the caller's own, with more {@code redis-server} arguments, which come after the
   * harness's own and so override them: e.g. {@code "--appendonly", "yes", "--appendfsync", "always"} for a
   * server that keeps what it acknowledged across {@link RedisServerProcess#kill()} and
   * {@link RedisServerProcess#restart()} (the same directory and arguments: the AOF is reloaded). The caller
   * closes it.
   *
   * @param extraArgs arguments as {@code redis-server} takes them, each option and value its own element
   * @return a running server
   */
  public static RedisServerProcess startStandalone(String... extraArgs) {
    return RedisServerProcess.start(List.of(extraArgs));
  }

  /**
   * A cluster of the caller's own. The caller closes it.
   *
   * @param masters how many masters split the slots
   * @param replicasPerMaster replicas of each master, for failover tests
   * @return a healthy cluster
   */
  public static RedisCluster startCluster(int masters, int replicasPerMaster) {
    return RedisCluster.start(masters, replicasPerMaster);
  }
}
