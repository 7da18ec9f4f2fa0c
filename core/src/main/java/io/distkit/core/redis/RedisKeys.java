package io.distkit.core.redis;

import io.distkit.core.internal.Quote;
import io.distkit.core.internal.Require;
import io.distkit.core.internal.Utf8;
import java.nio.charset.StandardCharsets;

/**
 * Builds the Redis keys of one module: {@code <prefix>:<module>:{<name>}:<part>}.
 *
 * <p>The name (a primitive's instance name, or the user's key) sits inside a hash tag, so all parts of one
 * name land in the same Redis Cluster slot and one script can touch them together. A name may hold any text:
 * the characters {@code {}, {@code }} and {@code %} are percent-encoded ({@code %7B}, {@code %7D},
 * {@code %25}), so a name can neither break out of its hash tag nor collide with another name.
 *
 * <p>Names are rejected when blank, longer than {@value #MAX_NAME_BYTES} bytes of UTF-8 (a key that long is
 * almost always a bug, a whole request body used as a key, and Redis would store it without complaint), or
 * when they hold an unpaired surrogate ({@code "a\uD800"} has no UTF-8 form; encoding it as {@code '?'}, as
 * {@code String.getBytes} does, would give {@code "a\uD800"} and {@code "a?"} one key). Messages show the
 * name with control characters escaped.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisKeys {

  /** The prefix used unless configured otherwise. */
  public static final String DEFAULT_PREFIX = "distkit";

  /** The longest name accepted, in bytes of UTF-8. */
  public static final int MAX_NAME_BYTES = 1024;

  private static final int MAX_PREFIX_LENGTH = 128;

  private final String prefix;
  private final String module;
  private final String head;
  private final byte[] headBytes;

  private RedisKeys(String prefix, String module) {
    this.prefix = checkPrefix(prefix);
    this.module = checkModule(module);
    this.head = prefix + ":" + module + ":{";
    this.headBytes = head.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Keys under the default prefix {@value #DEFAULT_PREFIX}.
   *
   * @param module the module's short name, lowercase letters, digits and dashes, e.g. {@code "ratelimit"}
   * @return the key builder
   */
  public static RedisKeys of(String module) {
    return new RedisKeys(DEFAULT_PREFIX, module);
  }

  /**
   * Keys under a custom prefix, e.g. one per application or environment sharing a Redis.
   *
   * @param prefix 1 to 128 characters, no whitespace and no braces (they would steal the hash tag);
   *     colons are fine ({@code "myapp:prod"})
   * @param module the module's short name, lowercase letters, digits and dashes
   * @return the key builder
   */
  public static RedisKeys of(String prefix, String module) {
    return new RedisKeys(prefix, module);
  }

  /**
   * The key of one part of one name.
   *
   * @param name any non-blank text of at most {@value #MAX_NAME_BYTES} bytes of UTF-8
   * @param part which piece of the name's state, e.g. {@code "tokens"}; a constant chosen by distkit
   * @return {@code <prefix>:<module>:{<escaped name>}:<part>}
   * @throws IllegalArgumentException when the name is blank, too long or holds an unpaired surrogate
   */
  public String key(String name, String part) {
    return taggedName(name) + ":" + part;
  }

  /**
   * {@link #key(String, String)} as the UTF-8 bytes a command sends, built in one allocation (no intermediate
   * strings): for the hot path of a primitive that sends a key with every call.
   *
   * @param name any non-blank text of at most {@value #MAX_NAME_BYTES} bytes of UTF-8
   * @param part which piece of the name's state; a constant chosen by distkit
   * @return exactly {@code key(name, part).getBytes(UTF_8)}
   * @throws IllegalArgumentException when the name is blank, too long or holds an unpaired surrogate
   */
  public byte[] keyBytes(String name, String part) {
    return keyBytes(name, part, "name");
  }

  /**
   * {@link #keyBytes(String, String)}, naming the name as the caller does in messages (a cache's {@code "key"}).
   *
   * @param name any non-blank text of at most {@value #MAX_NAME_BYTES} bytes of UTF-8
   * @param part which piece of the name's state
   * @param label what the caller calls the name, e.g. {@code "key"}
   * @return exactly {@code key(name, part).getBytes(UTF_8)}
   * @throws IllegalArgumentException when the name is blank, too long or holds an unpaired surrogate
   */
  public byte[] keyBytes(String name, String part, String label) {
    int nameBytes = checkedLength(name, label);
    String escaped = escape(name);
    int escapedBytes = escaped == name ? nameBytes : Utf8.encodedLength(escaped); // usually nothing to escape
    byte[] key = new byte[headBytes.length + escapedBytes + 2 + Utf8.encodedLength(part)];
    System.arraycopy(headBytes, 0, key, 0, headBytes.length);
    int at = Utf8.encode(escaped, key, headBytes.length);
    key[at++] = '}';
    key[at++] = ':';
    Utf8.encode(part, key, at);
    return key;
  }

  /**
   * The key stem of a name, for building several parts: {@code taggedName(n) + ":tokens"}.
   *
   * @param name any non-blank text of at most {@value #MAX_NAME_BYTES} bytes of UTF-8
   * @return {@code <prefix>:<module>:{<escaped name>}}
   * @throws IllegalArgumentException when the name is blank, too long or holds an unpaired surrogate
   */
  public String taggedName(String name) {
    return head + escape(checkName(name)) + "}";
  }

  /**
   * The configured prefix.
   *
   * @return the prefix
   */
  public String prefix() {
    return prefix;
  }

  /**
   * The module's short name.
   *
   * @return the module
   */
  public String module() {
    return module;
  }

  /**
   * Checks a name against the rules above without building a key.
   *
   * @param name the candidate
   * @return {@code name}
   * @throws IllegalArgumentException when it is blank, longer than {@value #MAX_NAME_BYTES} bytes of UTF-8
   *     or holds an unpaired surrogate
   */
  public static String checkName(String name) {
    return checkName(name, "name");
  }

  /**
   * Checks a name against the rules above, naming it as the caller does in messages.
   *
   * @param name the candidate
   * @param label what the caller calls it, e.g. {@code "key"}
   * @return {@code name}
   * @throws IllegalArgumentException when it is blank, longer than {@value #MAX_NAME_BYTES} bytes of UTF-8
   *     or holds an unpaired surrogate
   */
  public static String checkName(String name, String label) {
    checkedLength(name, label);
    return name;
  }

  /** Checks a name as {@link #checkName(String, String)} does and returns its UTF-8 length. */
  private static int checkedLength(String name, String label) {
    Require.nonBlank(name, label);
    int bytes = Utf8.wellFormedLength(name, label);
    if (bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(label + " (" + Quote.of(name) + ", " + bytes
          + " bytes of UTF-8) must be at most " + MAX_NAME_BYTES + " bytes");
    }
    return bytes;
  }

  private static String escape(String name) {
    if (name.indexOf('{') < 0 && name.indexOf('}') < 0 && name.indexOf('%') < 0) {
      return name;
    }
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      switch (c) {
        case '{' -> out.append("%7B");
        case '}' -> out.append("%7D");
        case '%' -> out.append("%25");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String checkPrefix(String prefix) {
    Require.nonBlank(prefix, "prefix");
    if (prefix.length() > MAX_PREFIX_LENGTH) {
      throw new IllegalArgumentException("prefix (" + Quote.of(prefix) + ") must be at most " + MAX_PREFIX_LENGTH
          + " characters");
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c == '{' || c == '}' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("prefix (" + Quote.of(prefix) + ") must not contain braces, whitespace or "
            + "control characters (found " + describe(c) + " at index " + i + ")");
      }
    }
    return prefix;
  }

  private static String checkModule(String module) {
    Require.nonBlank(module, "module");
    if (!module.matches("[a-z][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException("module (" + Quote.of(module) + ") must be 1 to 32 lowercase letters, digits "
          + "or dashes, starting with a letter");
    }
    return module;
  }

  private static String describe(char c) {
    return Character.isISOControl(c) || Character.isWhitespace(c)
        ? "U+" + String.format("%04X", (int) c)
        : "'" + c + "'";
  }

  @Override
  public String toString() {
    return "RedisKeys[" + prefix + ":" + module + "]";
  }
}
