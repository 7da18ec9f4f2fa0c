package io.distkit.core.redis;

import io.distkit.core.DistkitException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Checks, before a Redis implementation is built, that Jedis is on the class path and new enough, so that a
 * missing or old Jedis is one clear message ("add redis.clients:jedis 8.0 or newer") instead of a
 * {@code NoClassDefFoundError} or {@code NoSuchMethodError} from deep inside a call.
 *
 * <p>This class refers to no Jedis type, so it loads and runs without Jedis. It is public for distkit's own
 * modules (their Redis builders call {@link #check()} first); not API.
 */
public final class JedisRequirement {

  /** The oldest Jedis major version distkit compiles and runs with. */
  public static final int MINIMUM_MAJOR = 8;

  private static final String CLIENT_CLASS = "redis.clients.jedis.UnifiedJedis";
  private static final String VERSION_RESOURCE = "/META-INF/maven/redis.clients/jedis/pom.properties";

  private static volatile boolean satisfied;

  private JedisRequirement() {}

  /**
   * Passes when Jedis 8 or newer is on the class path (or its version cannot be read, as in a repackaged jar).
   * Cheap after the first success.
   *
   * @throws DistkitException saying which dependency to add or upgrade
   */
  public static void check() {
    if (satisfied) {
      return;
    }
    Class<?> client;
    try {
      client = Class.forName(CLIENT_CLASS, false, JedisRequirement.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new DistkitException(problem(false, null), e);
    }
    String problem = problem(true, versionNextTo(client));
    if (problem != null) {
      throw new DistkitException(problem, null);
    }
    satisfied = true;
  }

  /**
   * What is wrong with the Jedis found, if anything.
   *
   * @param present whether Jedis' client class could be loaded
   * @param version the version its jar declares, or null when unknown
   * @return the message for the user, or null when Jedis will do
   */
  static @Nullable String problem(boolean present, @Nullable String version) {
    if (!present) {
      return "distkit's Redis implementations need Jedis on the class path: add the dependency "
          + "redis.clients:jedis, version " + MINIMUM_MAJOR + ".0 or newer (distkit declares it optional, so that "
          + "applications that use only the local implementations do not get it; a modular application also "
          + "declares requires redis.clients.jedis)";
    }
    int major = majorOf(version);
    if (major >= 0 && major < MINIMUM_MAJOR) {
      return "distkit's Redis implementations need Jedis " + MINIMUM_MAJOR + ".0 or newer, but the class path has "
          + "Jedis " + version + ". If your build pins Jedis' version (Spring Boot's jedis.version property, a "
          + "BOM's dependency management), set it to " + MINIMUM_MAJOR + ".0 or newer";
    }
    return null;
  }

  private static int majorOf(@Nullable String version) {
    if (version == null) {
      return -1;
    }
    int dot = version.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? version.trim() : version.substring(0, dot).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static @Nullable String versionNextTo(Class<?> client) {
    try (InputStream in = client.getResourceAsStream(VERSION_RESOURCE)) {
      if (in == null) {
        return null;
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Jedis' version from " + VERSION_RESOURCE, e);
    }
  }
}
