package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class RedisKeysTest {

  private final RedisKeys keys = RedisKeys.of("ratelimit");

  @Test
  void layoutIsPrefixModuleTaggedNamePart() {
    assertThat(keys.key("user:42", "tokens")).isEqualTo("distkit:ratelimit:{user:42}:tokens");
    assertThat(RedisKeys.of("myapp:prod", "cache").key("k", "v")).isEqualTo("myapp:prod:cache:{k}:v");
    assertThat(keys.taggedName("n")).isEqualTo("distkit:ratelimit:{n}");
  }

  @Test
  void keyBytesAreTheKeysUtf8() {
    RedisKeys nonAsciiPrefix = RedisKeys.of("préfixe", "cache");
    for (String name : new String[] {"user:42", "a{b}c", "%7D", "ünïcödé", "日本語", "emoji \uD83D\uDE00",
        "x".repeat(RedisKeys.MAX_NAME_BYTES)}) {
      for (RedisKeys builder : new RedisKeys[] {keys, nonAsciiPrefix}) {
        assertThat(builder.keyBytes(name, "tb")).as(name)
            .isEqualTo(builder.key(name, "tb").getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThatThrownBy(() -> keys.keyBytes(" ", "tb")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> keys.keyBytes("x".repeat(RedisKeys.MAX_NAME_BYTES + 1), "tb"))
        .hasMessageContaining("must be at most 1024 bytes");
  }

  @Test
  void allPartsOfANameShareOneClusterSlot() {
    String name = "tenant-7/user-42";
    int slot = JedisClusterCRC16.getSlot(keys.key(name, "a"));
    assertThat(JedisClusterCRC16.getSlot(keys.key(name, "b"))).isEqualTo(slot);
    assertThat(slot).isEqualTo(JedisClusterCRC16.getSlot(name));
  }

  @Test
  void bracesInNamesCannotBreakTheHashTagOrCollide() {
    assertThat(keys.key("}", "x")).isEqualTo("distkit:ratelimit:{%7D}:x");
    assertThat(keys.key("a{b}c", "x")).isEqualTo("distkit:ratelimit:{a%7Bb%7Dc}:x");
    assertThat(keys.key("%7D", "x")).isEqualTo("distkit:ratelimit:{%257D}:x");
    assertThat(keys.key("}", "x")).isNotEqualTo(keys.key("%7D", "x"));
    String tricky = "}evil{";
    assertThat(JedisClusterCRC16.getSlot(keys.key(tricky, "a")))
        .isEqualTo(JedisClusterCRC16.getSlot(keys.key(tricky, "b")));
  }

  @Test
  void rejectsBlankAndOversizedNames() {
    assertThatThrownBy(() -> keys.key("", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name ('') must not be blank");
    assertThatThrownBy(() -> keys.key("  ", "x")).hasMessage("name ('  ') must not be blank");
    assertThatThrownBy(() -> keys.key(null, "x")).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThat(keys.key("a".repeat(RedisKeys.MAX_NAME_BYTES), "x")).isNotNull();
    assertThatThrownBy(() -> keys.key("a".repeat(RedisKeys.MAX_NAME_BYTES + 1), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1025 bytes of UTF-8) must be at most 1024 bytes");
    // 342 three-byte characters are 1026 bytes although only 342 chars
    assertThatThrownBy(() -> keys.key("€".repeat(342), "x")).hasMessageContaining("1026 bytes");
  }

  @Test
  void rejectsUnpairedSurrogatesThatWouldMergeDistinctNames() {
    // String.getBytes(UTF_8) turns each of these into "a?": one Redis key for three names
    for (String name : new String[] {"a\uD800", "a\uDC00", "\uDC00\uD800b"}) {
      assertThatThrownBy(() -> keys.key(name, "x")).as(name).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unpaired surrogate U+");
      assertThatThrownBy(() -> keys.keyBytes(name, "x")).as(name).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> RedisKeys.checkName("user:\uD800", "key"))
        .hasMessage("key ('user:\\uD800') holds an unpaired surrogate U+D800 at index 5: it has no UTF-8 form "
            + "(encoding it as '?' would give distinct keys one Redis key)");
    assertThat(keys.key("a?", "x")).isEqualTo("distkit:ratelimit:{a?}:x");
    assertThat(keys.key("emoji \uD83D\uDE00", "x")).isEqualTo("distkit:ratelimit:{emoji \uD83D\uDE00}:x");
  }

  @Test
  void messagesShowControlCharactersEscapedOnOneLine() {
    assertThatThrownBy(() -> keys.key("\n\t", "x")).hasMessage("name ('\\n\\t') must not be blank");
    assertThatThrownBy(() -> keys.key("line\n".repeat(300), "x"))
        .hasMessageStartingWith("name ('line\\nline\\n").hasMessageContaining("...' (1500 chars), 1500 bytes")
        .message().doesNotContain("\n");
  }

  @Test
  void rejectsBadPrefixesAndModules() {
    assertThatThrownBy(() -> RedisKeys.of("my{app}", "cache")).hasMessageContaining("prefix ('my{app}')")
        .hasMessageContaining("'{' at index 2");
    assertThatThrownBy(() -> RedisKeys.of("my app", "cache")).hasMessageContaining("U+0020 at index 2");
    assertThatThrownBy(() -> RedisKeys.of("", "cache")).hasMessage("prefix ('') must not be blank");
    assertThatThrownBy(() -> RedisKeys.of("Cache!")).hasMessageStartingWith("module ('Cache!') must be");
  }
}
