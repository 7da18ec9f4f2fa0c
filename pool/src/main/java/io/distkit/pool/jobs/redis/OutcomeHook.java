package io.distkit.pool.jobs.redis;

/**
 * For tests only: told what Redis answered to each outcome a dispatcher sent (the claim script's letter), so a
 * checker can tell an acknowledgement that counted from one that was refused. Called on the dispatcher's thread,
 * in the order of the outcomes; must be quick and must not throw.
 */
@FunctionalInterface
interface OutcomeHook {

  /**
   * One outcome's answer.
   *
   * @param jobId the job's id
   * @param token the attempt's fencing token
   * @param op {@code 'a'} acknowledge, {@code 'f'} failed, {@code 'r'} release
   * @param answer {@code 'A'} acknowledged, {@code 'R'} retried later, {@code 'D'} dead, {@code 'L'} released,
   *     {@code 'S'} stale (refused: not this attempt's to end), {@code 'G'} gone (refused: no such job)
   */
  void told(String jobId, long token, char op, char answer);
}
