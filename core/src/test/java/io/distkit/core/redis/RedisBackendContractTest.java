package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.codec.Codec;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** What {@link RedisBackend} promises, on every kind of deployment. */
abstract class RedisBackendContractTest {

  static final RedisScript INCREMENT = RedisScript.of("increment",
      "local v = redis.call('INCRBY', KEYS[1], ARGV[1]) redis.call('PEXPIRE', KEYS[1], 60000) return v");
  static final RedisScript ECHO = RedisScript.of("echo", "return ARGV[1]");
  static final RedisScript BROKEN = RedisScript.of("broken", "return redis.call('NOSUCHCOMMAND', KEYS[1])");

  final RedisKeys keys = RedisKeys.of("test");
  UnifiedJedis client;
  RedisBackend backend;

  abstract UnifiedJedis newClient();

  abstract CommandStats commandStats();

  /** How many masters could be asked to load a script. */
  abstract int masters();

  /** SCRIPT FLUSH wherever the scripts could be cached. */
  abstract void flushScripts();

  @BeforeEach
  void connect() {
    client = newClient();
    backend = RedisBackend.create(client);
  }

  @AfterEach
  void close() {
    client.close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void runsAScriptAndReturnsItsReply() {
    byte[] key = bytes(keys.key(TestKeys.unique("counter"), "n"));
    assertThat(backend.eval(INCREMENT, List.of(key), List.of(Codec.longs().encode(5L)))).isEqualTo(5L);
    assertThat(backend.eval(INCREMENT, List.of(key), List.of(Codec.longs().encode(2L)))).isEqualTo(7L);
    byte[] reply = (byte[]) backend.eval(ECHO, List.of(key), List.of(bytes("héllo")));
    assertThat(Codec.utf8().decode(reply)).isEqualTo("héllo");
  }

  @Test
  void aScriptCallIsOneEvalshaOnceTheScriptIsKnown() {
    byte[] key = bytes(keys.key(TestKeys.unique("counter"), "n"));
    backend.eval(INCREMENT, List.of(key), List.of(bytes("1")));
    CommandStats before = commandStats();
    for (int i = 0; i < 10; i++) {
      backend.eval(INCREMENT, List.of(key), List.of(bytes("1")));
    }
    CommandStats sent = commandStats().minus(before);
    assertThat(sent.calls("evalsha")).isEqualTo(10);
    // INCRBY and PEXPIRE run inside the script; nothing else crossed the network
    assertThat(sent.total() - sent.calls("incrby") - sent.calls("pexpire")).isEqualTo(10);
  }

  @Test
  void reloadsAScriptThatRedisForgotAndRetriesOnce() {
    byte[] key = bytes(keys.key(TestKeys.unique("reload"), "n"));
    assertThat(backend.eval(INCREMENT, List.of(key), List.of(bytes("1")))).isEqualTo(1L);
    flushScripts();
    CommandStats before = commandStats();
    assertThat(backend.eval(INCREMENT, List.of(key), List.of(bytes("1")))).isEqualTo(2L);
    CommandStats sent = commandStats().minus(before);
    assertThat(sent.calls("evalsha")).as("the NOSCRIPT attempt and the retry").isEqualTo(2);
    // Jedis sends SCRIPT LOAD to every master of a cluster (its command policy for SCRIPT LOAD)
    assertThat(sent.calls("script") + sent.calls("script|load")).isBetween(1L, (long) masters());
    assertThat(backend.guard().state()).isEqualTo(BackendGuard.State.UP);
  }

  @Test
  void aScriptErrorIsADistkitExceptionAndNotAnOutage() {
    byte[] key = bytes(keys.key(TestKeys.unique("broken"), "n"));
    assertThatThrownBy(() -> backend.eval(BROKEN, List.of(key), List.of()))
        .isInstanceOf(DistkitException.class)
        .isNotInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("Script broken failed");
    assertThat(backend.guard().state()).isEqualTo(BackendGuard.State.UP);
  }

  @Test
  void aWrongTypeErrorIsADistkitException() {
    String name = TestKeys.unique("wrongtype");
    backend.execute(jedis -> jedis.lpush(keys.key(name, "n"), "x"));
    byte[] key = bytes(keys.key(name, "n"));
    assertThatThrownBy(() -> backend.eval(INCREMENT, List.of(key), List.of(bytes("1"))))
        .isInstanceOf(DistkitException.class)
        .isNotInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("WRONGTYPE");
    backend.execute(jedis -> jedis.del(keys.key(name, "n")));
  }

  @Test
  void executeRunsPlainCommands() {
    String key = keys.key(TestKeys.unique("plain"), "v");
    String reply = backend.execute(jedis -> jedis.set(key, "x"));
    String value = backend.execute(jedis -> jedis.get(key));
    assertThat(reply).isEqualTo("OK");
    assertThat(value).isEqualTo("x");
    backend.execute(jedis -> jedis.del(key));
  }
}
