package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.DistkitException;
import io.distkit.core.session.FencingToken;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared Lua (time, format, fencing) and how scripts are composed from it. */
@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
class LuaPreludeTest {

  private static final RedisScript NOW = RedisScript.of("now", List.of(LuaPrelude.TIME),
      "return distkit_now_us(ARGV[1])");
  private static final RedisScript MONOTONIC = RedisScript.of("monotonic", List.of(LuaPrelude.TIME),
      "local t = distkit_monotonic_us(ARGV[1], KEYS[1], 'now') redis.call('PEXPIRE', KEYS[1], 60000) return t");
  private static final RedisScript KEEP_ABOUT = RedisScript.of("keep-about", List.of(LuaPrelude.TIME),
      "return distkit_keep_about(KEYS[1], tonumber(ARGV[1]))");
  private static final RedisScript PAYLOAD = RedisScript.of("payload", List.of(LuaPrelude.FORMAT),
      "return distkit_payload(redis.call('GET', KEYS[1]), 1, 'test value')");

  private final RedisKeys keys = RedisKeys.of("test");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<byte[]> key(String hint) {
    return List.of(bytes(keys.key(TestKeys.unique(hint), "k")));
  }

  @Test
  void preludesComeFirstOnceEachWithWhatTheyNeed() {
    String own = "return distkit_next_token(KEYS[1], distkit_now_us(ARGV[1]), 1000)";
    RedisScript script = RedisScript.of("s", List.of(LuaPrelude.FENCING, LuaPrelude.TIME), own);
    String source = script.source();
    assertThat(source).containsOnlyOnce("local function distkit_now_us")
        .containsOnlyOnce("local function distkit_next_token")
        .as("what next_token calls, and what that calls")
        .containsOnlyOnce("local function distkit_payload")
        .containsOnlyOnce("local function distkit_format(")
        .containsOnlyOnce("local function distkit_versioned")
        .containsOnlyOnce("local function distkit_int")
        .endsWith(own);
    assertThat(source.indexOf("distkit_now_us")).isLessThan(source.indexOf("local function distkit_next_token"));
    assertThat(source.indexOf("local function distkit_format(")).isLessThan(source.indexOf("distkit_payload"));
    assertThat(RedisScript.of("plain", List.of(), "return 1").source()).isEqualTo("return 1");
  }

  @Test
  void aScriptCarriesOnlyTheHelpersItCalls() {
    // every local function is a closure made on every run of the script: unused helpers would cost Redis time
    String source = RedisScript.of("now", List.of(LuaPrelude.LEASES), "return distkit_now_us(ARGV[1])").source();
    assertThat(source).containsOnlyOnce("local function distkit_now_us")
        .doesNotContain("distkit_lease_", "distkit_keep_for", "distkit_int", "distkit_monotonic_us",
            "distkit_not_before");
    assertThat(RedisScript.of("none", List.of(LuaPrelude.FENCING), "return 1").source()).isEqualTo("return 1");
  }

  @ContractTest
  void serverTimeIsTheServersClockInMicrosAndClientTimeIsTheArgument(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    long before = System.currentTimeMillis() * 1000;
    long server = (Long) backend.eval(NOW, key("now"), List.of(new byte[0]));
    long after = System.currentTimeMillis() * 1000;
    // same machine: the server's clock is ours (one second of slack for the call and clock granularity)
    assertThat(server).isBetween(before - 1_000_000, after + 1_000_000);
    ManualClock clock = new ManualClock();
    RedisTime client = RedisTime.of(TimeSource.CLIENT, clock);
    assertThat((Long) backend.eval(NOW, key("now"), List.of(client.argument())))
        .isEqualTo(clock.epochMillis() * 1000);
    clock.advance(Duration.ofNanos(1_500));
    assertThat((Long) backend.eval(NOW, key("now"), List.of(client.argument())))
        .isEqualTo(clock.epochMillis() * 1000 + 1);
    assertThat(RedisTime.of(TimeSource.SERVER, clock).argument()).isEmpty();
  }

  @ContractTest
  void timeUnderOneKeyNeverGoesBack(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    List<byte[]> k = key("mono");
    assertThat(backend.eval(MONOTONIC, k, List.of(bytes("5000000")))).isEqualTo(5_000_000L);
    assertThat(backend.eval(MONOTONIC, k, List.of(bytes("4000000")))).as("a clock behind").isEqualTo(5_000_000L);
    assertThat(backend.eval(MONOTONIC, k, List.of(bytes("6000000")))).isEqualTo(6_000_000L);
    assertThat((Long) backend.eval(MONOTONIC, k, List.of(new byte[0]))).as("server time is far ahead of 6 s")
        .isGreaterThan(1_700_000_000_000_000L);
  }

  @ContractTest
  void keepAboutRefreshesATimeToLiveOnlyOnceAThousandthHasPassedAndLeavesAbsentKeysAlone(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    List<byte[]> k = key("keep");
    List<byte[]> hour = List.of(bytes("3600000"));
    assertThat(backend.eval(KEEP_ABOUT, k, hour)).as("absent: left alone").isEqualTo(0L);
    assertThat((Boolean) backend.execute(j -> j.exists(k.get(0)))).isFalse();
    backend.execute(j -> j.set(k.get(0), bytes("v")));
    assertThat(backend.eval(KEEP_ABOUT, k, hour)).as("no time to live yet: given one").isEqualTo(1L);
    assertThat((Long) backend.execute(j -> j.pttl(k.get(0)))).isBetween(3_590_000L, 3_600_000L);
    assertThat(backend.eval(KEEP_ABOUT, k, hour)).as("less than a thousandth (3.6 s) gone: untouched").isEqualTo(0L);
    backend.execute(j -> j.pexpire(k.get(0), 3_590_000L));
    assertThat(backend.eval(KEEP_ABOUT, k, hour)).as("10 s gone: refreshed").isEqualTo(1L);
    assertThat((Long) backend.execute(j -> j.pttl(k.get(0)))).isGreaterThan(3_595_000L);
    backend.execute(j -> j.pexpire(k.get(0), 7_200_000L));
    assertThat(backend.eval(KEEP_ABOUT, k, hour)).as("a longer one is never shortened").isEqualTo(0L);
    assertThat((Long) backend.execute(j -> j.pttl(k.get(0)))).isGreaterThan(7_000_000L);
  }

  @ContractTest
  void aValueOfAnotherFormatVersionFailsTheScriptInsteadOfBeingGuessed(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    List<byte[]> k = key("format");
    backend.execute(j -> j.set(k.get(0), new byte[] {1, 'o', 'k'}));
    backend.execute(j -> j.pexpire(k.get(0), 60_000));
    assertThat(new String((byte[]) backend.eval(PAYLOAD, k, List.of()), StandardCharsets.UTF_8)).isEqualTo("ok");
    backend.execute(j -> j.set(k.get(0), new byte[] {9, 'o', 'k'}));
    backend.execute(j -> j.pexpire(k.get(0), 60_000));
    assertThatThrownBy(() -> backend.eval(PAYLOAD, k, List.of())).isInstanceOf(DistkitException.class)
        .hasMessageContaining("test value has format version 9, this code reads 1");
  }

  @ContractTest
  void fencingTokensOnlyGrowEvenWhenTheirKeyIsLost(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    RedisFencing fencing = RedisFencing.create(backend);
    String resource = keys.key(TestKeys.unique("fence"), "token");
    List<FencingToken> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tokens.add(fencing.next(resource));
    }
    backend.execute(j -> j.del(resource)); // as a failover before replication, or an expiry, would lose it
    tokens.add(fencing.next(resource));
    for (int i = 1; i < tokens.size(); i++) {
      assertThat(tokens.get(i).isNewerThan(tokens.get(i - 1))).as("token %d after %d", i, i - 1).isTrue();
    }
    assertThat(tokens.get(0).value()).as("floored by the server's clock in µs")
        .isGreaterThan(1_700_000_000_000_000L);
    byte[] stored = backend.execute(j -> j.get(bytes(resource)));
    assertThat(stored[0]).as("format version").isEqualTo((byte) 1);
    assertThat((long) backend.execute(j -> j.pttl(resource))).isBetween(1L, RedisFencing.DEFAULT_KEY_TTL.toMillis());
  }

  @ContractTest
  void underClientTimeTokensFollowTheRuleExactly(Deployment deployment) {
    ManualClock clock = new ManualClock();
    RedisTime time = RedisTime.of(TimeSource.CLIENT, clock);
    RedisFencing fencing = RedisFencing.create(deployment.backend(), time, Duration.ofMinutes(1));
    String resource = keys.key(TestKeys.unique("fence"), "token");
    long now = time.clientMicros();
    assertThat(fencing.next(resource).value()).isEqualTo(now);
    assertThat(fencing.next(resource).value()).as("same microsecond: last + 1").isEqualTo(now + 1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(fencing.next(resource).value()).isEqualTo(now + 1_000_000);
    assertThat(FencingToken.next(new FencingToken(now + 1_000_000), now)).isEqualTo(new FencingToken(now + 1_000_001));
  }

  @Test
  void tokenValuesStayExactInLua() {
    assertThatThrownBy(() -> new FencingToken(0)).hasMessage("value (0) must be in [1, 2^53 - 1]");
    assertThatThrownBy(() -> new FencingToken(1L << 53)).isInstanceOf(IllegalArgumentException.class);
    assertThat(FencingToken.next(null, 0)).isEqualTo(new FencingToken(1));
    assertThat(new FencingToken(5).compareTo(new FencingToken(7))).isNegative();
  }
}
