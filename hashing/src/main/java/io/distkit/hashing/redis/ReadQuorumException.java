package io.distkit.hashing.redis;

import io.distkit.core.BackendUnavailableException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RedisShardRouter#get(String) get} reached fewer replicas than its read quorum, so it cannot tell which
 * value is the newest: it returns nothing rather than a value that may be stale.
 */
public class ReadQuorumException extends BackendUnavailableException {

  /** How many replicas answered. */
  private final int answered;
  /** The read quorum it missed. */
  private final int required;

  /**
   * Creates the exception.
   *
   * @param message which key, how many servers answered and how many were required
   * @param answered servers that answered
   * @param required the read quorum
   * @param cause the last failure seen, if any
   */
  public ReadQuorumException(String message, int answered, int required, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.answered = answered;
    this.required = required;
  }

  /**
   * How many servers answered the read.
   *
   * @return fewer than {@link #required()}
   */
  public int answered() {
    return answered;
  }

  /**
   * The read quorum.
   *
   * @return how many servers had to answer
   */
  public int required() {
    return required;
  }
}
