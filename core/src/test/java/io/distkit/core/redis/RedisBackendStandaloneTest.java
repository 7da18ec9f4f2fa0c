package io.distkit.core.redis;

import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

class RedisBackendStandaloneTest extends RedisBackendContractTest {

  // a server of its own: SCRIPT FLUSH and exact command counts must not race with other tests
  private static final RedisServerProcess SERVER = RedisServers.startStandalone();

  @AfterAll
  static void stop() {
    SERVER.close();
  }

  @Override
  UnifiedJedis newClient() {
    return SERVER.newClient();
  }

  @Override
  CommandStats commandStats() {
    return SERVER.commandStats();
  }

  @Override
  int masters() {
    return 1;
  }

  @Override
  void flushScripts() {
    try (Jedis jedis = SERVER.connect()) {
      jedis.scriptFlush();
    }
  }
}
