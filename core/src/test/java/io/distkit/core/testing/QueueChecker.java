package io.distkit.core.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Checks a queue's history, as Jepsen's queue workload does: every job enqueued (acknowledged by the queue)
 * must be delivered; a job delivered twice is a duplicate; a job delivered that nobody enqueued is
 * unexpected. At-least-once queues may duplicate jobs that were in flight at a fault, and nothing else.
 *
 * <pre>{@code
 * QueueChecker checker = new QueueChecker();
 * checker.enqueued("job-1");      // after submit() returned
 * checker.delivered("job-1");     // when a worker finished it
 * QueueChecker.Report report = checker.check();
 * assertThat(report.lost()).isEmpty();
 * }</pre>
 *
 * <p>Histories from child JVMs: record {@code "enqueue", id} and {@code "deliver", id} events in a
 * {@link HistoryFile} and feed them to {@link #record(List)}. Thread-safe.
 */
public final class QueueChecker {

  /**
   * What the history shows.
   *
   * @param enqueued jobs enqueued
   * @param lost jobs enqueued and never delivered
   * @param duplicated jobs delivered more than once, with how many times
   * @param unexpected jobs delivered that were never enqueued
   */
  public record Report(int enqueued, Set<String> lost, Map<String, Integer> duplicated, Set<String> unexpected) {

    /**
     * Copies the collections.
     *
     * @param enqueued jobs enqueued
     * @param lost jobs never delivered
     * @param duplicated jobs delivered more than once
     * @param unexpected jobs never enqueued
     */
    public Report {
      lost = Set.copyOf(lost);
      duplicated = Map.copyOf(duplicated);
      unexpected = Set.copyOf(unexpected);
    }

    /**
     * Duplicates other than those allowed, e.g. other than the jobs in flight when a worker was killed.
     *
     * @param inFlightAtFaults jobs that may legitimately run twice
     * @return the duplicates left
     */
    public Set<String> duplicatesOutside(Collection<String> inFlightAtFaults) {
      Set<String> left = new LinkedHashSet<>(duplicated.keySet());
      left.removeAll(inFlightAtFaults);
      return left;
    }

    /**
     * Whether nothing was lost, duplicated or unexpected.
     *
     * @return true for a clean exactly-once history
     */
    public boolean isClean() {
      return lost.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty();
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Set<String> enqueued = new LinkedHashSet<>();
  private final Map<String, Integer> deliveries = new LinkedHashMap<>();

  /**
   * The queue acknowledged a job.
   *
   * @param id the job's id, unique per job
   */
  public void enqueued(String id) {
    lock.lock();
    try {
      enqueued.add(id);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A worker finished a job.
   *
   * @param id the job's id
   */
  public void delivered(String id) {
    lock.lock();
    try {
      deliveries.merge(id, 1, Integer::sum);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds events read from a {@link HistoryFile}: {@code [enqueue, id]} or {@code [deliver, id]}.
   *
   * @param events the events
   * @throws IllegalArgumentException for any other event
   */
  public void record(List<List<String>> events) {
    for (List<String> event : events) {
      if (event.size() == 2 && event.get(0).equals("enqueue")) {
        enqueued(event.get(1));
      } else if (event.size() == 2 && event.get(0).equals("deliver")) {
        delivered(event.get(1));
      } else {
        throw new IllegalArgumentException("not a queue event: " + event);
      }
    }
  }

  /**
   * Checks the history so far.
   *
   * @return what was lost, duplicated and unexpected
   */
  public Report check() {
    lock.lock();
    try {
      Set<String> lost = new LinkedHashSet<>(enqueued);
      lost.removeAll(deliveries.keySet());
      Map<String, Integer> duplicated = new LinkedHashMap<>();
      List<String> unexpected = new ArrayList<>();
      deliveries.forEach((id, times) -> {
        if (times > 1) {
          duplicated.put(id, times);
        }
        if (!enqueued.contains(id)) {
          unexpected.add(id);
        }
      });
      return new Report(enqueued.size(), lost, duplicated, new LinkedHashSet<>(unexpected));
    } finally {
      lock.unlock();
    }
  }
}
