package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Protocol;

/**
 * A reader's connection goes back to the client's pool intact: a disconnect racing the reader's normal end (all
 * channels unsubscribed, as a hub's last share does before it closes the hub) must not drop a connection the pool
 * may already have lent to someone else. Dropped there, Jedis reconnects it silently on its next command, without
 * its client name (or password, or database).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PubSubReaderTest {

  @Test
  void aDisconnectRacingTheReadersNormalEndNeverDropsAConnectionBackInThePool() throws Exception {
    String name = TestKeys.unique("reader");
    try (RedisClient client = (RedisClient) RedisServers.standalone().newNamedClient(name)) {
      for (int round = 0; round < 5; round++) {
        CountDownLatch live = new CountDownLatch(1);
        PubSubReader reader = new PubSubReader(client, false, new PubSubReader.Callbacks() {
          @Override
          public void subscribed(PubSubReader from, String channel) {
            live.countDown();
          }

          @Override
          public void message(String channel, byte[] message) {}

          @Override
          public void pong(PubSubReader from) {}
        });
        String channel = "test:{reader}:" + round;
        Thread running = new Thread(() -> reader.run(0, List.of(channel.getBytes())));
        running.start();
        assertThat(live.await(10, TimeUnit.SECONDS)).isTrue();
        // the worst interleaving, made certain: the hub's close finds the connection, then the reader ends
        // normally (all channels unsubscribed) and gives the connection back, then the close drops it. With the
        // reader's lock, the reader cannot give it back in between: the wait below times out and the connection
        // is dropped while still the reader's (then discarded by the pool, broken).
        reader.beforeDrop = () -> {
          reader.unsubscribe(List.of(channel));
          try {
            running.join(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
        reader.disconnect();
        running.join(10_000);
        assertThat(running.isAlive()).isFalse();
      }
      // every connection the pool lends still carries the client's name
      List<Connection> borrowed = new ArrayList<>();
      try {
        int idle = client.getPool().getNumIdle();
        assertThat(idle).as("connections back in the pool").isPositive();
        for (int i = 0; i < idle; i++) {
          borrowed.add(client.getPool().getResource());
        }
        for (Connection connection : borrowed) {
          connection.sendCommand(Protocol.Command.CLIENT, "GETNAME");
          Object answer = connection.getOne();
          assertThat(answer == null ? null : new String((byte[]) answer)).as("a pooled connection's name")
              .isEqualTo(name);
        }
      } finally {
        borrowed.forEach(Connection::close);
      }
    }
  }
}
