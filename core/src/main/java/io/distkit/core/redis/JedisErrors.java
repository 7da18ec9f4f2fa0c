package io.distkit.core.redis;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisValidationException;

/**
 * The one place where Jedis exceptions become distkit's. No primitive catches a Jedis exception itself.
 */
final class JedisErrors {

  /** Error replies that mean "not now", not "you asked for something wrong". */
  private static final String[] UNAVAILABLE_REPLIES = {
    "CLUSTERDOWN", "LOADING", "MASTERDOWN", "TRYAGAIN", "READONLY", "BUSY", "OOM"
  };

  private JedisErrors() {}

  /**
   * Translates a Jedis failure.
   *
   * @param e what Jedis threw
   * @param what the operation, for the message (e.g. "script token_bucket.lua")
   * @param keys the keys the operation touched, named when Redis says one holds the wrong type
   * @return {@link BackendUnavailableException} for connection failures, timeouts, an exhausted
   *     connection pool, a cluster that is down or failing over, a server that is loading, busy or out of
   *     memory; {@link DistkitException} for everything else (a script error, wrong credentials, a wrong key
   *     type, a client closed by the caller)
   */
  static DistkitException translate(JedisException e, String what, List<byte[]> keys) {
    if (isClosedClient(e)) {
      return new DistkitException(what + " failed: the Redis client was closed (" + e.getMessage() + "). distkit "
          + "never closes the client it is given; close or stop using the primitives built on a client before "
          + "closing it", e);
    }
    if (isUnavailable(e)) {
      String reason = replyOf(e).startsWith("OOM")
          ? "Redis is out of memory and refuses writes (maxmemory reached under a noeviction policy): "
          : "Redis is unavailable: ";
      return new BackendUnavailableException(what + " failed, " + reason + e.getMessage(), e);
    }
    if (replyOf(e).startsWith("WRONGTYPE")) {
      return new DistkitException(what + " failed: " + describe(keys) + " holds a value of another type than "
          + "distkit's (another application's key under the same prefix?): " + e.getMessage(), e);
    }
    if (e instanceof JedisAccessControlException) {
      return new DistkitException(what + " was refused by Redis (check the client's credentials and ACL): "
          + e.getMessage(), e);
    }
    return new DistkitException(what + " failed: " + e.getMessage(), e);
  }

  /**
   * Whether a connection failed fast because the server (or something between) closed it: an end of stream,
   * a reset or a broken pipe. Not a timeout, not a refused connection: those look like an outage.
   *
   * @param e what Jedis threw
   * @return true when retrying on a fresh connection makes sense
   */
  static boolean isBrokenConnection(JedisConnectionException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof ConnectException
          || t instanceof UnknownHostException || t instanceof IllegalStateException) {
        return false;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return true;
  }

  /** Whether Jedis failed because its pool (hence the client) was closed. */
  private static boolean isClosedClient(JedisException e) {
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof IllegalStateException && "Pool not open".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The error reply, without what Redis 6.2 puts before an error raised inside a script ({@code ERR Error
   * running script (call to f_...): @user_script:1: WRONGTYPE ...}).
   */
  private static String replyOf(JedisException e) {
    String message = e.getMessage();
    if (!(e instanceof JedisDataException) || message == null) {
      return "";
    }
    if (!message.startsWith("ERR Error running script")) {
      return message;
    }
    String inner = message.substring(message.lastIndexOf(": ") + 2); // after "@user_script:1: "
    return inner.startsWith("-") ? inner.substring(1) : inner;
  }

  private static String describe(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return "a key";
    }
    StringBuilder out = new StringBuilder(keys.size() == 1 ? "key " : "one of the keys ");
    for (int i = 0; i < keys.size(); i++) {
      out.append(i == 0 ? "'" : ", '");
      // in full, so an operator can find it (Quote.of would shorten it), but escaped to stay on one line
      new String(keys.get(i), StandardCharsets.UTF_8).chars().forEach(c -> out.append(
          Character.isISOControl(c) ? String.format("\\u%04X", c) : String.valueOf((char) c)));
      out.append('\'');
    }
    return out.toString();
  }

  static boolean isUnavailable(JedisException e) {
    if (e instanceof JedisConnectionException || e instanceof JedisBusyException) {
      return true;
    }
    if (e instanceof JedisClusterOperationException) {
      // keys in several slots is our bug, not an outage; everything else (no reachable node, attempts or
      // retry deadline exhausted, slots not covered) means the cluster can not serve us right now
      String message = e.getMessage();
      return message == null || !message.contains("multiple hash slots");
    }
    if (e instanceof JedisValidationException) {
      return false;
    }
    if (e instanceof JedisDataException) {
      String reply = replyOf(e);
      for (String unavailable : UNAVAILABLE_REPLIES) {
        if (reply.startsWith(unavailable)) {
          return true;
        }
      }
      return false;
    }
    // plain JedisException: e.g. no connection could be borrowed from the pool within its wait
    return true;
  }
}
