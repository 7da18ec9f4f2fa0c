package io.distkit.core.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Lua shared by the scripts of every module, so that no module writes its own {@code TIME} handling, token
 * arithmetic or format check. Lua has no include: {@link RedisScript#fromResources(Collection, Class, String...)}
 * puts the chosen preludes (and what they need) in front of a module's script. Each prelude only defines
 * {@code local} functions named {@code distkit_*}; nothing runs until the script calls them.
 *
 * <p><b>Only what the script calls.</b> Redis runs a script's whole body on every call, and each
 * {@code local function} in it creates a closure each time (about 0.05 µs of Redis time apiece, measured with
 * {@code INFO commandstats}). So the header holds only the helpers the script's own source names, and the
 * helpers those name, in the order the preludes define them: a prelude costs a script nothing beyond the
 * helpers it uses.
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

  private static final Pattern DEFINITION = Pattern.compile("local function (distkit_\\w+)\\(.*");
  private static final Pattern NAME = Pattern.compile("\\bdistkit_\\w+");
  private static final List<Helper> BASE = helpers("prelude_base.lua", read("prelude_base.lua"));

  /** One helper of a prelude: its definition, with the comment lines just above it, and the helpers it names. */
  private record Helper(String name, String text, Set<String> names) {}

  private final String resource;
  private final List<LuaPrelude> needs;
  private volatile @Nullable String source;
  private volatile @Nullable List<Helper> helpers;

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

  private List<Helper> helpers() {
    List<Helper> result = helpers;
    if (result == null) {
      result = helpers(resource, source());
      helpers = result;
    }
    return result;
  }

  /**
   * The Lua that goes in front of {@code script}, which uses {@code preludes}: of the shared helpers, each
   * prelude and those it needs, the helpers that {@code script} names and those they name, once each, in the
   * order they are defined.
   *
   * @param preludes what the script uses
   * @param script the script's own Lua
   * @return the Lua text, each helper ending with a newline; empty when the script names no helper
   */
  static String header(Collection<LuaPrelude> preludes, String script) {
    if (preludes.isEmpty()) {
      return "";
    }
    Set<LuaPrelude> all = EnumSet.noneOf(LuaPrelude.class);
    for (LuaPrelude prelude : preludes) {
      all.add(prelude);
      all.addAll(prelude.needs);
    }
    List<Helper> available = new ArrayList<>(BASE);
    for (LuaPrelude prelude : all) {
      available.addAll(prelude.helpers());
    }
    Set<String> wanted = names(script);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Helper helper : available) {
        if (wanted.contains(helper.name()) && wanted.addAll(helper.names())) {
          grew = true;
        }
      }
    }
    StringBuilder out = new StringBuilder();
    for (Helper helper : available) {
      if (wanted.contains(helper.name())) {
        out.append(helper.text());
      }
    }
    return out.toString();
  }

  private static Set<String> names(String lua) {
    Set<String> names = new HashSet<>();
    Matcher matcher = NAME.matcher(lua);
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }

  /**
   * Splits a prelude into its helpers: each {@code local function distkit_*(...)} from its first line to the
   * first line that is {@code end} alone, with the comment lines right above it.
   */
  private static List<Helper> helpers(String resource, String source) {
    List<Helper> helpers = new ArrayList<>();
    List<String> comment = new ArrayList<>();
    String[] lines = source.lines().toArray(String[]::new);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher definition = DEFINITION.matcher(line);
      if (definition.matches()) {
        StringBuilder text = new StringBuilder();
        comment.forEach(c -> text.append(c).append('\n'));
        comment.clear();
        while (true) {
          text.append(lines[i]).append('\n');
          if (lines[i].equals("end")) {
            break;
          }
          if (++i == lines.length) {
            throw new IllegalStateException(resource + ": " + definition.group(1) + " has no 'end' line");
          }
        }
        helpers.add(new Helper(definition.group(1), text.toString(), names(text.toString())));
      } else if (line.startsWith("--")) {
        comment.add(line);
      } else if (line.isBlank()) {
        comment.clear();
      } else {
        throw new IllegalStateException(resource + " line " + (i + 1) + " is not part of a local function "
            + "distkit_*: a prelude only defines helpers");
      }
    }
    return List.copyOf(helpers);
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
