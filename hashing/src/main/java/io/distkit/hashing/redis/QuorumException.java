package io.distkit.hashing.redis;

import io.distkit.core.BackendUnavailableException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RedisShardRouter} operation reached fewer replicas than its quorum: {@link WriteQuorumException} for a
 * write, {@link ReadQuorumException} for a read. Catch this type for either.
 */
public abstract class QuorumException extends BackendUnavailableException {

  /** How many replicas the operation reached. */
  private final int reached;
  /** The quorum it missed. */
  private final int required;

  /**
   * Creates the exception.
   *
   * @param message which key, how many servers were reached and how many were required
   * @param reached servers the operation reached
   * @param required the quorum
   * @param cause the last failure seen, if any
   */
  protected QuorumException(String message, int reached, int required, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.reached = reached;
    this.required = required;
  }

  /**
   * How many servers the operation reached: applied the write, or answered the read.
   *
   * @return fewer than {@link #required()}
   */
  public int reached() {
    return reached;
  }

  /**
   * The quorum.
   *
   * @return how many servers the operation needed
   */
  public int required() {
    return required;
  }
}
