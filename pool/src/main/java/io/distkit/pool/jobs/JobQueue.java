package io.distkit.pool.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A named queue of jobs and the workers that run them.
 *
 * <pre>{@code
 * JobQueue<Email> emails = LocalJobQueue.<Email>builder("emails").build();
 * emails.submit(welcome, JobOptions.DEFAULT.idempotencyKey("welcome:" + userId));
 * JobWorkers workers = emails.work(8, job -> mailer.send(job.payload()));
 * ...
 * workers.close(Duration.ofSeconds(30));   // drain: unfinished jobs go back to the queue
 * }</pre>
 *
 * <p>A job runs until an attempt succeeds; a failed attempt is retried by the job's {@link RetryPolicy}, and a job
 * out of attempts goes to the dead-letter list ({@link #deadLetters}, {@link #replay}). Among due jobs, higher
 * priority first, then submission order. Thread-safe.
 *
 * @param <P> the type of the payloads
 */
public interface JobQueue<P> extends AutoCloseable {

  /**
   * The queue's name.
   *
   * @return the name given to the builder
   */
  String name();

  /**
   * Submits a job with {@link JobOptions#DEFAULT}.
   *
   * @param payload what the handler gets
   * @return the job's id
   * @throws IllegalStateException when the queue is closed
   */
  default Submission submit(P payload) {
    return submit(payload, JobOptions.DEFAULT);
  }

  /**
   * Submits a job.
   *
   * @param payload what the handler gets
   * @param options delay, priority, idempotency key, retry policy
   * @return the job's id, or the id of the job already submitted with the same idempotency key
   * @throws IllegalStateException when the queue is closed
   */
  Submission submit(P payload, JobOptions options);

  /**
   * Submits jobs with the same options, in one round trip where the queue has round trips (Redis: one script).
   * With an idempotency key in {@code options}, the first job of the list takes the key and the others are
   * duplicates of it.
   *
   * @param payloads what the handlers get, in submission order
   * @param options delay, priority, idempotency key, retry policy: the same for every job
   * @return one submission per payload, in order
   * @throws IllegalStateException when the queue is closed
   * @throws IllegalArgumentException when the list is longer than the queue takes at once (Redis: 1,000, one script
   *     that submits all or none)
   */
  default List<Submission> submitAll(List<? extends P> payloads, JobOptions options) {
    Objects.requireNonNull(options, "options");
    List<Submission> submissions = new ArrayList<>(payloads.size());
    for (P payload : payloads) {
      submissions.add(submit(payload, options));
    }
    return submissions;
  }

  /**
   * Starts workers.
   *
   * @param concurrency how many attempts at once, at least 1
   * @param handler runs each attempt
   * @return the workers, to drain and stop
   */
  default JobWorkers work(int concurrency, JobHandler<P> handler) {
    return work(concurrency, handler, GroupLimits.NONE);
  }

  /**
   * Starts workers whose attempts obey limits per {@linkplain JobOptions#group group}: a job whose group is at its
   * limit goes back to the queue for later, not counted as an attempt.
   *
   * @param concurrency how many attempts at once, at least 1
   * @param handler runs each attempt
   * @param limits the limits of each group's attempts
   * @return the workers, to drain and stop
   */
  JobWorkers work(int concurrency, JobHandler<P> handler, GroupLimits limits);

  /**
   * The dead-letter list, oldest first.
   *
   * @param limit at most this many
   * @return the dead jobs
   */
  List<DeadJob<P>> deadLetters(int limit);

  /**
   * Puts a dead job back in the queue, due at once, with its attempts counted from zero again.
   *
   * @param jobId the job's id
   * @return false when no dead job has that id
   */
  boolean replay(String jobId);

  /**
   * The queue's state and counts.
   *
   * @return a snapshot
   */
  JobStats stats();

  /** Closes the queue: its workers drain (see {@link JobWorkers#close()}), and later submissions fail. */
  @Override
  void close();
}
