package io.distkit.core.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Lua shared by the scripts of every module, so that no module writes its own {@code TIME} handling, token
 * arithmetic or format check. Lua has no include: {@link RedisScript#fromResources(Collection, Class, String...)}
 * puts the chosen preludes (and what they need) in front of a module's script. Each prelude only defines
 * {@code local} functions named {@code distkit_*}; nothing runs until the script calls them.
 *
 * <p>Every prelude brings {@code distkit_int(n)} (an integer as decimal text, never in exponent form) and
 * {@code distkit_keep_for(key, ttl_ms)} (extends a key's TTL, never shortens it).
 */
public enum LuaPrelude {

  /**
   * Time in microseconds, never backwards. {@code distkit_now_us(arg)}: the caller's time when {@code arg} is
   * a decimal number of microseconds ({@link TimeSource#CLIENT}), the server's {@code TIME} when it is
   * {@code ''} ({@link TimeSource#SERVER}); {@code distkit_not_before(now, floor)}; and
   * {@code distkit_monotonic_us(arg, key, field)}, which keeps the latest time seen in a hash field so that
   * time under that key only moves forward. Pass the argument with {@link RedisTime#argument}.
   */
  TIME("prelude_time.lua"),

  /**
   * Format versions of stored values (the first byte, as {@link io.distkit.core.codec.VersionedCodec} writes
   * them): {@code distkit_format(raw)}, {@code distkit_versioned(version, payload)} and
   * {@code distkit_payload(raw, version, what)}, which fails the script on any other version.
   */
  FORMAT("prelude_format.lua"),

  /**
   * Fencing tokens that only grow ({@code distkit_next_token(key, now_us, ttl_ms)}); see
   * {@link RedisFencing}. Brings {@link #TIME} and {@link #FORMAT}.
   */
  FENCING("prelude_fencing.lua", TIME, FORMAT),

  /**
   * Lease sets (a sorted set of lease ids scored by expiry in microseconds): {@code distkit_lease_acquire},
   * {@code distkit_lease_renew}, {@code distkit_lease_release}, {@code distkit_lease_purge}; the format
   * {@link RedisLeases} renews in batches. Brings {@link #TIME}.
   */
  LEASES("prelude_leases.lua", TIME);

  private static final String BASE = read("prelude_base.lua");

  private final String resource;
  private final List<LuaPrelude> needs;
  private volatile String source;

  LuaPrelude(String resource, LuaPrelude... needs) {
    this.resource = resource;
    this.needs = List.of(needs); // not an EnumSet: the enum is not initialised yet
  }

  /**
   * The prelude's Lua source (without the helpers every prelude shares).
   *
   * @return the source text
   */
  public String source() {
    String result = source;
    if (result == null) {
      result = read(resource);
      source = result;
    }
    return result;
  }

  /**
   * The Lua that goes in front of a script using {@code preludes}: the shared helpers, then each prelude and
   * those it needs, once each, in declaration order.
   *
   * @param preludes what the script uses
   * @return the Lua text, ending with a newline; empty when {@code preludes} is
   */
  static String header(Collection<LuaPrelude> preludes) {
    if (preludes.isEmpty()) {
      return "";
    }
    Set<LuaPrelude> all = EnumSet.noneOf(LuaPrelude.class);
    for (LuaPrelude prelude : preludes) {
      all.add(prelude);
      all.addAll(prelude.needs);
    }
    StringBuilder out = new StringBuilder(BASE).append('\n');
    for (LuaPrelude prelude : all) {
      out.append(prelude.source()).append('\n');
    }
    return out.toString();
  }

  private static String read(String resource) {
    try (InputStream in = LuaPrelude.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("distkit-core is missing its resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }
}
