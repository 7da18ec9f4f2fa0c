package io.distkit.hashing.redis;

import org.jspecify.annotations.Nullable;

/**
 * A {@link RedisShardRouter#get(String) get} reached fewer replicas than its read quorum, so it cannot tell which
 * value is the newest: it returns nothing rather than a value that may be stale.
 */
public class ReadQuorumException extends QuorumException {

  /**
   * Creates the exception.
   *
   * @param message which key, how many servers answered and how many were required
   * @param answered servers that answered
   * @param required the read quorum
   * @param cause the last failure seen, if any
   */
  public ReadQuorumException(String message, int answered, int required, @Nullable Throwable cause) {
    super(message, answered, required, cause);
  }

  /**
   * How many servers answered the read.
   *
   * @return fewer than {@link #required()}
   */
  public int answered() {
    return reached();
  }
}
