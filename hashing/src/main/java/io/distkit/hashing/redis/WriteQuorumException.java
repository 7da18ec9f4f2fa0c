package io.distkit.hashing.redis;

import io.distkit.core.BackendUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * A replicated write reached fewer servers than its write quorum, so it is not acknowledged. Some replicas may
 * have applied it all the same (there is no rollback): a later read may or may not see it.
 */
public class WriteQuorumException extends BackendUnavailableException {

  /** How many replicas applied the write. */
  private final int acknowledged;
  /** The write quorum it missed. */
  private final int required;

  /**
   * Creates the exception.
   *
   * @param message which key, how many servers acknowledged and how many were required
   * @param acknowledged servers that applied the write
   * @param required the write quorum
   * @param cause the last failure seen, if any
   */
  public WriteQuorumException(String message, int acknowledged, int required, @Nullable Throwable cause) {
    super(java.util.Objects.requireNonNull(message, "message"), cause);
    this.acknowledged = acknowledged;
    this.required = required;
  }

  /**
   * How many servers applied the write.
   *
   * @return fewer than {@link #required()}
   */
  public int acknowledged() {
    return acknowledged;
  }

  /**
   * The write quorum.
   *
   * @return how many servers had to apply the write
   */
  public int required() {
    return required;
  }
}
