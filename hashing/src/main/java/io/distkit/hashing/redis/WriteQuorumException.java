package io.distkit.hashing.redis;

import org.jspecify.annotations.Nullable;

/**
 * A replicated write reached fewer servers than its write quorum, so it is not acknowledged. Some replicas may
 * have applied it all the same (there is no rollback): a later read may or may not see it.
 */
public class WriteQuorumException extends QuorumException {

  /**
   * Creates the exception.
   *
   * @param message which key, how many servers acknowledged and how many were required
   * @param acknowledged servers that applied the write
   * @param required the write quorum
   * @param cause the last failure seen, if any
   */
  public WriteQuorumException(String message, int acknowledged, int required, @Nullable Throwable cause) {
    super(message, acknowledged, required, cause);
  }

  /**
   * How many servers applied the write.
   *
   * @return fewer than {@link #required()}
   */
  public int acknowledged() {
    return reached();
  }
}
