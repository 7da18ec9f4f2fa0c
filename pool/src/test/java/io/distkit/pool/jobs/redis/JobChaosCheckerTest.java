package io.distkit.pool.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.pool.jobs.redis.JobChaosChecker.Fault;
import io.distkit.pool.jobs.redis.JobChaosChecker.FinalState;
import io.distkit.pool.jobs.redis.JobChaosChecker.Submit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chaos checker finds what it must on small hand-written histories, and nothing in a clean one. */
class JobChaosCheckerTest {

  private static final long LEASE = 2_000_000;
  private static final long DRAIN = 2_000_000;

  private final JobChaosChecker checker = new JobChaosChecker();
  private final List<List<String>> w1 = new ArrayList<>();
  private final List<List<String>> w2 = new ArrayList<>();

  private static List<String> start(long t, String id, long payload, int attempt, long token) {
    return List.of("start", Long.toString(t), id, Long.toString(payload), Integer.toString(attempt),
        Long.toString(token));
  }

  private static List<String> end(long t, String id, long token, String how) {
    return List.of("end", Long.toString(t), id, Long.toString(token), how);
  }

  private static List<String> told(long t, String id, long token, char op, char answer) {
    return List.of("told", Long.toString(t), id, Long.toString(token), String.valueOf(op), String.valueOf(answer));
  }

  private static FinalState empty(long submitted, long succeeded, long stale) {
    return new FinalState(Map.of(), Set.of(), 0, 0, 0,
        Map.of("submitted", submitted, "succeeded", succeeded, "stale", stale, "deadLettered", 0L));
  }

  private List<String> check(FinalState state) {
    checker.worker("w1", w1);
    checker.worker("w2", w2);
    checker.check(state, 3, LEASE, DRAIN);
    return checker.violations();
  }

  /** Job a (payload 1) runs once; job b (payload 2) fails once and then succeeds elsewhere. */
  private void cleanHistory() {
    checker.submit(new Submit(0, 1, null, true, "a", false, 0));
    checker.submit(new Submit(0, 2, null, true, "b", false, 0));
    w1.add(start(10, "a", 1, 1, 100));
    w1.add(start(11, "b", 2, 1, 101));
    w1.add(end(20, "a", 100, "ok"));
    w1.add(end(21, "b", 101, "fail"));
    w1.add(told(22, "a", 100, 'a', 'A'));
    w1.add(told(22, "b", 101, 'f', 'R'));
    w2.add(start(30, "b", 2, 2, 102));
    w2.add(end(40, "b", 102, "ok"));
    w2.add(told(41, "b", 102, 'a', 'A'));
  }

  @Test
  void aCleanHistoryHasNoViolation() {
    cleanHistory();
    assertThat(check(empty(2, 2, 0))).isEmpty();
    assertThat(checker.summary()).containsEntry("rerunsAfterFailure", 1L).containsEntry("succeeded", 2L);
  }

  @Test
  void aJobGoneWithoutASuccessIsLost() {
    cleanHistory();
    checker.submit(new Submit(0, 3, null, true, "c", false, 0));
    assertThat(check(empty(3, 3, 0))).anyMatch(v -> v.startsWith("lost: job c"));
  }

  @Test
  void aStartOfAJobNobodySubmittedIsUnexpected() {
    cleanHistory();
    w2.add(start(50, "z", 9, 1, 200));
    assertThat(check(empty(2, 2, 0))).anyMatch(v -> v.startsWith("unexpected:"));
  }

  @Test
  void twoAcknowledgementsCountedForOneJobAreDuplicates() {
    cleanHistory();
    w2.add(start(50, "a", 1, 2, 103));
    w2.add(end(60, "a", 103, "ok"));
    w2.add(told(61, "a", 103, 'a', 'A'));
    assertThat(check(empty(2, 3, 0))).anyMatch(v -> v.startsWith("duplicated: job a"))
        .anyMatch(v -> v.startsWith("re-run without a failure or a fault"));
  }

  @Test
  void aReRunIsExplainedByAFaultOfItsWorkerOnly() {
    checker.submit(new Submit(0, 1, null, true, "a", false, 0));
    w1.add(start(10, "a", 1, 1, 100));
    w2.add(start(3_000_000, "a", 1, 2, 101));
    w2.add(end(3_100_000, "a", 101, "ok"));
    w2.add(told(3_100_001, "a", 101, 'a', 'A'));
    checker.fault(new Fault("kill", "w2", 500_000, 500_001)); // not the worker that held it
    assertThat(check(empty(1, 1, 0))).anyMatch(v -> v.startsWith("re-run without a failure or a fault"));

    JobChaosChecker other = new JobChaosChecker();
    other.submit(new Submit(0, 1, null, true, "a", false, 0));
    other.fault(new Fault("stop", "w1", 500_000, 3_000_000));
    other.worker("w1", w1);
    other.worker("w2", w2);
    other.check(empty(1, 1, 0), 3, LEASE, DRAIN);
    assertThat(other.violations()).isEmpty();
  }

  @Test
  void anAcknowledgementCountedForAnOlderAttemptIsALateAckAccepted() {
    checker.submit(new Submit(0, 1, null, true, "a", false, 0));
    checker.fault(new Fault("stop", "w1", 20, 3_000_000));
    w1.add(start(10, "a", 1, 1, 100));
    w2.add(start(2_100_000, "a", 1, 2, 101));
    w1.add(end(3_000_010, "a", 100, "ok"));
    w1.add(told(3_000_020, "a", 100, 'a', 'A')); // must have been refused: the job is attempt 2's
    w2.add(end(5_100_000, "a", 101, "ok"));
    w2.add(told(5_100_001, "a", 101, 'a', 'G'));
    assertThat(check(empty(1, 1, 0))).anyMatch(v -> v.startsWith("acknowledged attempt"));
  }

  @Test
  void tokensMustGrowWithAttemptsAndNeverRepeat() {
    checker.submit(new Submit(0, 1, null, true, "a", false, 0));
    checker.submit(new Submit(0, 2, null, true, "b", false, 0));
    checker.fault(new Fault("kill", "w1", 20, 20));
    w1.add(start(10, "a", 1, 2, 100));
    w1.add(start(11, "b", 2, 1, 100));
    w2.add(start(3_000_000, "a", 1, 1, 101));
    w2.add(end(3_100_000, "a", 101, "ok"));
    w2.add(told(3_100_001, "a", 101, 'a', 'A'));
    assertThat(check(empty(2, 1, 0))).anyMatch(v -> v.startsWith("token 100 issued twice"))
        .anyMatch(v -> v.startsWith("attempts go backwards"));
  }

  @Test
  void redisCountersMustMatchTheHistories() {
    cleanHistory();
    w1.add(told(23, "x", 1, 'a', 'S'));
    assertThat(check(empty(3, 1, 0))).anyMatch(v -> v.startsWith("Redis counted 3 submissions"))
        .anyMatch(v -> v.startsWith("Redis counted 1 successes"))
        .anyMatch(v -> v.startsWith("workers saw 1 stale answers"));
  }

  @Test
  void aSecondSubmissionWithTheSameKeyMustBeADuplicateOfTheFirst() {
    cleanHistory();
    checker.submit(new Submit(0, 5, "k", true, "c", false, 0));
    checker.submit(new Submit(0, 5, "k", true, "d", false, 0));
    w1.add(start(50, "c", 5, 1, 110));
    w1.add(end(51, "c", 110, "ok"));
    w1.add(told(52, "c", 110, 'a', 'A'));
    assertThat(check(empty(3, 3, 0))).anyMatch(v -> v.startsWith("idempotency key k"));
  }

  @Test
  void aDelayedJobMustNotStartBeforeItIsDue() {
    cleanHistory();
    checker.submit(new Submit(100, 3, null, true, "c", false, 1_000_000));
    w1.add(start(900_000, "c", 3, 1, 120));
    w1.add(end(900_010, "c", 120, "ok"));
    w1.add(told(900_020, "c", 120, 'a', 'A'));
    assertThat(check(empty(3, 3, 0))).anyMatch(v -> v.startsWith("delayed job c started 100100 µs before"));
  }

  @Test
  void aDrainLongerThanItsDeadlineIsReported() {
    cleanHistory();
    w1.add(List.of("close-begin", "100"));
    w1.add(List.of("close-end", Long.toString(100 + DRAIN + 1_300_000), "false"));
    assertThat(check(empty(2, 2, 0))).anyMatch(v -> v.startsWith("drain of w1"));
  }
}
