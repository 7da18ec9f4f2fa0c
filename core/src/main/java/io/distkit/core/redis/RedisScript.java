package io.distkit.core.redis;

import io.distkit.core.internal.Require;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Objects;

/**
 * A Lua script, identified by the SHA-1 of its source, ready for {@code EVALSHA}.
 *
 * <p>Scripts live as {@code .lua} resources next to the class that runs them and are loaded once, typically
 * into a {@code static final} field. Immutable and thread-safe.
 */
public final class RedisScript {

  private final String name;
  private final String source;
  private final byte[] sourceBytes;
  private final String sha1;
  private final byte[] sha1Bytes;

  private RedisScript(String name, String source) {
    this.name = Require.nonBlank(name, "name");
    this.source = Require.nonBlank(source, "source");
    this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
    this.sha1 = sha1Hex(sourceBytes);
    this.sha1Bytes = sha1.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A script with its source given inline.
   *
   * @param name a short name for messages and logs
   * @param source the Lua source
   * @return the script
   */
  public static RedisScript of(String name, String source) {
    return new RedisScript(name, source);
  }

  /**
   * Loads a script from a UTF-8 class-path resource, resolved like {@link Class#getResourceAsStream}.
   *
   * <p>In a named module the resource's package must be open to {@code io.distkit.core}
   * ({@code opens my.pkg to io.distkit.core;}), since this module reads it on the caller's behalf.
   *
   * @param anchor the class next to which the resource lives
   * @param resource the resource name, e.g. {@code "token_bucket.lua"}
   * @return the script, named after the resource
   * @throws IllegalArgumentException when the resource does not exist
   */
  public static RedisScript fromResource(Class<?> anchor, String resource) {
    Objects.requireNonNull(anchor, "anchor");
    Require.nonBlank(resource, "resource");
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("Script resource '" + resource + "' not found next to "
            + anchor.getName() + (anchor.getModule().isNamed() && !anchor.getModule().isOpen(
                anchor.getPackageName(), RedisScript.class.getModule()) ? " (module " + anchor.getModule().getName()
                + " does not open " + anchor.getPackageName() + " to io.distkit.core)" : ""));
      }
      return new RedisScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read script resource '" + resource + "'", e);
    }
  }

  /**
   * Loads a script made of several UTF-8 class-path resources, concatenated in order with a newline between
   * them: typically a shared prelude (helpers, reading the clock) followed by one algorithm. Lua has no
   * include; this is how scripts share code without copying it.
   *
   * @param anchor the class next to which the resources live
   * @param resources resource names, e.g. {@code "prelude.lua", "token_bucket.lua"}
   * @return the script, named after the last resource
   * @throws IllegalArgumentException when a resource does not exist
   */
  public static RedisScript fromResources(Class<?> anchor, String... resources) {
    if (resources.length == 0) {
      throw new IllegalArgumentException("resources must name at least one script resource");
    }
    StringBuilder source = new StringBuilder();
    for (String resource : resources) {
      source.append(fromResource(anchor, resource).source()).append('\n');
    }
    return new RedisScript(resources[resources.length - 1], source.toString());
  }

  /**
   * Loads a script made of core {@link LuaPrelude preludes} (the helpers of theirs that the script calls, and
   * those they call, once each) followed by UTF-8 class-path resources of the caller's: how a module's script
   * gets the shared time, fencing, lease and format helpers without copying them.
   *
   * <pre>{@code
   * static final RedisScript ACQUIRE = RedisScript.fromResources(
   *     List.of(LuaPrelude.FENCING, LuaPrelude.LEASES), RedisLock.class, "acquire.lua");
   * }</pre>
   *
   * @param preludes the core preludes the script calls
   * @param anchor the class next to which the resources live
   * @param resources resource names, in order
   * @return the script, named after the last resource
   * @throws IllegalArgumentException when a resource does not exist
   */
  public static RedisScript fromResources(Collection<LuaPrelude> preludes, Class<?> anchor, String... resources) {
    RedisScript own = fromResources(anchor, resources);
    return new RedisScript(own.name(), LuaPrelude.header(preludes, own.source()) + own.source());
  }

  /**
   * A script made of core {@link LuaPrelude preludes} (the helpers the source calls) followed by inline source.
   *
   * @param name a short name for messages and logs
   * @param preludes the core preludes the script calls
   * @param source the script's own Lua
   * @return the script
   */
  public static RedisScript of(String name, Collection<LuaPrelude> preludes, String source) {
    Require.nonBlank(source, "source");
    return new RedisScript(name, LuaPrelude.header(preludes, source) + source);
  }

  /**
   * The script's name.
   *
   * @return the name given at creation (the resource name for resources)
   */
  public String name() {
    return name;
  }

  /**
   * The Lua source.
   *
   * @return the source text
   */
  public String source() {
    return source;
  }

  /**
   * The SHA-1 digest that {@code EVALSHA} and {@code SCRIPT LOAD} use.
   *
   * @return 40 lowercase hex digits
   */
  public String sha1() {
    return sha1;
  }

  byte[] sourceBytes() {
    return sourceBytes;
  }

  byte[] sha1Bytes() {
    return sha1Bytes;
  }

  private static String sha1Hex(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(bytes);
      StringBuilder hex = new StringBuilder(40);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return "RedisScript[" + name + ", " + sha1 + "]";
  }
}
