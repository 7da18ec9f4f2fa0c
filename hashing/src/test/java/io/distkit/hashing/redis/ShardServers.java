package io.distkit.hashing.redis;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.hashing.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;

/**
 * Three real, independent Redis servers of one test's own (it may kill, freeze and restart them), the shards
 * {@code shard-a}, {@code shard-b} and {@code shard-c} on them, and everything made over them, closed together
 * after each test: {@code @RegisterExtension final ShardServers shards = new ShardServers();}.
 */
final class ShardServers implements AutoCloseable, AfterEachCallback {

  final List<RedisServerProcess> servers = new ArrayList<>();
  final List<Node> nodes = List.of(Node.of("shard-a"), Node.of("shard-b"), Node.of("shard-c"));
  private final List<RedisClient> clients = new ArrayList<>();
  private final List<RedisShardRouter<Node>> routers = new ArrayList<>();

  ShardServers() {
    for (int i = 0; i < 3; i++) {
      servers.add(RedisServers.startStandalone());
    }
  }

  /** A builder over the three servers, with one new client each; the backends go to {@code backends}. */
  RedisShardRouter.Builder<Node> builder(Duration clientTimeout, List<RedisBackend> backends) {
    RedisShardRouter.Builder<Node> builder = RedisShardRouter.builder();
    for (int i = 0; i < 3; i++) {
      RedisClient client = servers.get(i).newClient(clientTimeout);
      clients.add(client);
      RedisBackend backend = RedisBackend.create(client);
      backends.add(backend);
      builder.shard(nodes.get(i), backend);
    }
    return builder;
  }

  /** Closes the router with the servers. */
  RedisShardRouter<Node> track(RedisShardRouter<Node> router) {
    routers.add(router);
    return router;
  }

  RedisServerProcess serverOf(Node node) {
    return servers.get(nodes.indexOf(node));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    routers.forEach(RedisShardRouter::close);
    clients.forEach(RedisClient::close);
    servers.forEach(RedisServerProcess::close);
  }
}
