package io.distkit.examples;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Tour's command line: {@code [--redis redis://host:port] [--help]}.
 *
 * @param redis the Redis to use, or empty for local implementations only
 * @param help whether to print the usage and stop
 */
record TourOptions(Optional<URI> redis, boolean help) {

  static final String USAGE = """
      usage: Tour [--redis redis://[user:password@]host:port] [--help]
        no arguments     use the local (in-process) implementations; no server needed
        --redis URI      also run the same code on the Redis at URI (standalone, Redis 6.2+ or Valkey;
                         rediss:// for TLS)
        --help, -h       print this and stop
      with Maven: mvn -q -B -DskipTests -pl examples -am package exec:java -Dexec.args="--redis redis://localhost:6379\"""";

  static TourOptions parse(String... args) {
    @Nullable URI redis = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.equals("--redis")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--redis needs a URI, e.g. --redis redis://localhost:6379");
        }
        redis = parseRedisUri(args[++i]);
      } else if (arg.startsWith("--redis=")) {
        redis = parseRedisUri(arg.substring("--redis=".length()));
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    return new TourOptions(Optional.ofNullable(redis), help);
  }

  private static URI parseRedisUri(String text) {
    try {
      URI uri = new URI(text);
      if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("--redis (" + redacted(text) + ") must look like redis://host:port");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--redis (" + redacted(text) + ") is not a URI: " + e.getReason(), e);
    }
  }

  /**
   * A URI safe to print: host and port only, never credentials.
   *
   * @param uri the user's URI
   * @return {@code host:port}
   */
  static String describe(URI uri) {
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  private static String redacted(String text) {
    int at = text.lastIndexOf('@');
    int scheme = text.indexOf("://");
    return at > 0 && scheme >= 0 && at > scheme ? text.substring(0, scheme + 3) + "***@" + text.substring(at + 1) : text;
  }
}
