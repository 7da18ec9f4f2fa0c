package io.distkit.core.redis;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
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
    "CLUSTERDOWN", "LOADING", "MASTERDOWN", "TRYAGAIN", "READONLY", "BUSY"
  };

  private JedisErrors() {}

  /**
   * Translates a Jedis failure.
   *
   * @param e what Jedis threw
   * @param what the operation, for the message (e.g. "script token_bucket.lua")
   * @return {@link BackendUnavailableException} for connection failures, timeouts, an exhausted
   *     connection pool, a cluster that is down or failing over, a server that is loading or busy;
   *     {@link DistkitException} for everything else (a script error, wrong credentials, a wrong key type)
   */
  static DistkitException translate(JedisException e, String what) {
    if (isUnavailable(e)) {
      return new BackendUnavailableException(what + " failed, Redis is unavailable: " + e.getMessage(), e);
    }
    if (e instanceof JedisAccessControlException) {
      return new DistkitException(what + " was refused by Redis (check the client's credentials and ACL): "
          + e.getMessage(), e);
    }
    return new DistkitException(what + " failed: " + e.getMessage(), e);
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
      String message = e.getMessage();
      if (message != null) {
        for (String reply : UNAVAILABLE_REPLIES) {
          if (message.startsWith(reply)) {
            return true;
          }
        }
      }
      return false;
    }
    // plain JedisException: e.g. no connection could be borrowed from the pool within its wait
    return true;
  }
}
