package io.distkit.pool.jobs.redis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Checks the merged histories of {@link RedisJobQueueChaosTest} (the orchestrator's submissions and faults, each
 * worker JVM's starts, ends and Redis' answers to its outcomes) against the queue's final state in Redis. Times are
 * wall-clock µs of one host. Collects violations instead of stopping at the first, so a failure shows them all.
 */
final class JobChaosChecker {

  /**
   * One submission as the orchestrator saw it: ok (with the id it got) or failed (unknown: it may be in); {@code t}
   * is taken before the call, so the job is due no sooner than {@code t + delayMicros}.
   */
  record Submit(long t, long payload, @Nullable String key, boolean ok, @Nullable String id, boolean duplicate,
      long delayMicros) {}

  /**
   * A fault: {@code kill}, {@code stop}, {@code term} of a worker, {@code redis} (killed, then back up) or
   * {@code redis-pause} (SIGSTOP, then SIGCONT).
   */
  record Fault(String kind, String target, long from, long to) {}

  record Start(String worker, long t, String id, long payload, int attempt, long token) {}

  record End(String worker, long t, String id, long token, String how) {}

  record Told(String worker, long t, String id, long token, char op, char answer) {}

  record Drain(String worker, long begin, long end, boolean inTime) {}

  /** What Redis holds at the end. */
  record FinalState(Map<String, Integer> deadAttempts, Set<String> headers, long ready, long delayed, long inFlight,
      Map<String, Long> counters) {}

  private final List<Submit> submits = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();
  private final List<Start> starts = new ArrayList<>();
  private final Map<String, End> ends = new HashMap<>(); // by id/token
  private final Map<String, Told> told = new HashMap<>(); // by id/token: the last answer
  private final List<Told> tolds = new ArrayList<>();
  private final List<Drain> drains = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<String, Long> summary = new LinkedHashMap<>();

  void submit(Submit submit) {
    submits.add(submit);
  }

  void fault(Fault fault) {
    faults.add(fault);
  }

  /**
   * Reads one worker's history.
   *
   * @param worker its name
   * @param events its lines, as {@code HistoryFile.read} gives them
   */
  void worker(String worker, List<List<String>> events) {
    long closeBegin = -1;
    for (List<String> e : events) {
      long t = Long.parseLong(e.get(1));
      switch (e.get(0)) {
        case "start" -> starts.add(new Start(worker, t, e.get(2), Long.parseLong(e.get(3)), Integer.parseInt(e.get(4)),
            Long.parseLong(e.get(5))));
        case "end" -> ends.put(e.get(2) + "/" + e.get(3), new End(worker, t, e.get(2), Long.parseLong(e.get(3)),
            e.get(4)));
        case "told" -> {
          Told answer = new Told(worker, t, e.get(2), Long.parseLong(e.get(3)), e.get(4).charAt(0),
              e.get(5).charAt(0));
          tolds.add(answer);
          told.put(answer.id() + "/" + answer.token(), answer);
        }
        case "close-begin" -> closeBegin = t;
        case "close-end" -> drains.add(new Drain(worker, closeBegin, t, Boolean.parseBoolean(e.get(2))));
        default -> violations.add("unknown event in " + worker + ": " + e);
      }
    }
  }

  List<String> violations() {
    return violations;
  }

  Map<String, Long> summary() {
    return summary;
  }

  /**
   * Checks everything.
   *
   * @param end Redis' state once the queue is empty
   * @param maxAttempts every job's retry policy's attempts
   * @param leaseMicros the workers' lease
   * @param drainMicros the workers' drain deadline
   */
  void check(FinalState end, int maxAttempts, long leaseMicros, long drainMicros) {
    // ---- submissions: accepted ids, deduplication
    Map<String, Long> payloadOf = new HashMap<>();
    Map<Long, Submit> firstSubmitOf = new HashMap<>();
    Set<Long> unknownPayloads = new HashSet<>();
    Map<String, String> idOfKey = new HashMap<>();
    int failedSubmits = 0;
    for (Submit s : submits) {
      firstSubmitOf.putIfAbsent(s.payload(), s);
      if (!s.ok()) {
        failedSubmits++;
        unknownPayloads.add(s.payload());
        continue;
      }
      Long before = payloadOf.putIfAbsent(s.id(), s.payload());
      if (before != null && before != s.payload()) {
        violations.add("id " + s.id() + " given to payloads " + before + " and " + s.payload());
      }
      if (s.key() != null) {
        String first = idOfKey.putIfAbsent(s.key(), s.id());
        if (first != null && !(first.equals(s.id()) && s.duplicate())) {
          violations.add("idempotency key " + s.key() + ": submission " + s + " after id " + first);
        }
      } else if (s.duplicate()) {
        violations.add("a submission without a key was called a duplicate: " + s);
      }
    }
    Set<String> accepted = new HashSet<>(payloadOf.keySet());
    unknownPayloads.removeIf(p -> payloadOf.containsValue(p)); // a keyed retry told us its id

    // ---- unexpected: every start is of a submitted job, with its payload
    Set<String> recovered = new HashSet<>();
    Map<Long, String> recoveredIdOf = new HashMap<>();
    for (Start s : starts) {
      Long payload = payloadOf.get(s.id());
      if (payload == null && unknownPayloads.contains(s.payload())) {
        String other = recoveredIdOf.putIfAbsent(s.payload(), s.id());
        if (other == null || other.equals(s.id())) {
          recovered.add(s.id());
          continue;
        }
      }
      if (payload == null && !recovered.contains(s.id())) {
        violations.add("unexpected: " + s + " was never submitted");
      } else if (payload != null && payload != s.payload()) {
        violations.add("unexpected: " + s + " carries another payload than submitted (" + payload + ")");
      }
    }
    for (Map.Entry<String, Integer> dead : end.deadAttempts().entrySet()) {
      if (!accepted.contains(dead.getKey()) && !recovered.contains(dead.getKey())) {
        // a job submitted with an unknown outcome that died without ever starting: recovered too
        recovered.add(dead.getKey());
      }
    }
    Set<String> known = new HashSet<>(accepted);
    known.addAll(recovered);

    // ---- per job: tokens, attempts, re-runs, acknowledgements
    Map<String, List<Start>> startsOf = new HashMap<>();
    Map<Long, Start> byToken = new HashMap<>();
    for (Start s : starts) {
      startsOf.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
      Start other = byToken.put(s.token(), s);
      if (other != null) {
        violations.add("token " + s.token() + " issued twice: " + other + " and " + s);
      }
    }
    Map<String, List<Told>> acksOf = new HashMap<>();
    for (Told t : tolds) {
      if (t.answer() == 'A') {
        acksOf.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(t);
      }
    }
    List<Long> lateness = new ArrayList<>();
    long reruns = 0;
    long rerunsAfterFailure = 0;
    long rerunsAfterFault = 0;
    long rerunsAfterRelease = 0;
    long ackUnknown = 0;
    long nonPoisonDead = 0;
    for (String id : known) {
      List<Start> runs = new ArrayList<>(startsOf.getOrDefault(id, List.of()));
      runs.sort(Comparator.comparingLong(Start::token));
      Submit submitted = firstSubmitOf.get(payloadOf.containsKey(id) ? payloadOf.get(id)
          : runs.isEmpty() ? Long.MIN_VALUE : runs.get(0).payload());
      long from = submitted == null ? 0 : submitted.t();
      Start prev = null;
      for (Start next : runs) {
        int expected = 1;
        if (prev != null) {
          reruns++;
          End ended = ends.get(prev.id() + "/" + prev.token());
          Told answer = told.get(prev.id() + "/" + prev.token());
          boolean released = answer != null && answer.answer() == 'L';
          expected = released ? prev.attempt() : prev.attempt() + 1;
          if (next.attempt() < expected) {
            violations.add("attempts go backwards: " + prev + " then " + next);
          }
          if (ended != null && ended.how().equals("fail")) {
            rerunsAfterFailure++;
          } else if (released) {
            rerunsAfterRelease++;
          } else if (faultOf(prev.worker(), prev.t(), next.t()) != null || redisFault(prev.t(), next.t()) != null) {
            rerunsAfterFault++;
          } else {
            violations.add("re-run without a failure or a fault: " + prev + " (ended " + ended + ", told " + answer
                + ") then " + next);
          }
        }
        if (next.attempt() > expected && anyFault(prev == null ? from : prev.t(), next.t()) == null) {
          violations.add("attempt(s) " + expected + ".." + (next.attempt() - 1) + " never started, and no fault "
              + "between: " + (prev == null ? "submitted at " + from : prev) + " then " + next);
        }
        prev = next;
      }
      if (submitted != null && submitted.delayMicros() > 0 && !runs.isEmpty()) {
        long due = submitted.t() + submitted.delayMicros();
        Start first = runs.get(0);
        if (first.t() < due) {
          violations.add("delayed job " + id + " started " + (due - first.t()) + " µs before it was due: " + first);
        } else if (first.attempt() == 1 && anyFault(submitted.t(), first.t()) == null) {
          lateness.add(first.t() - due);
        }
      }
      List<Told> acks = acksOf.getOrDefault(id, List.of());
      boolean dead = end.deadAttempts().containsKey(id);
      if (dead) {
        int attempts = end.deadAttempts().get(id);
        if (attempts != maxAttempts) {
          violations.add("dead job " + id + " after " + attempts + " attempts, not " + maxAttempts);
        }
        if (!acks.isEmpty()) {
          violations.add("dead job " + id + " had an acknowledgement counted: " + acks);
        }
        long payload = runs.isEmpty() ? -1 : runs.get(0).payload();
        if (payload >= 0 && JobWorkerProcess.behaviour(payload) != JobWorkerProcess.Behaviour.POISON) {
          nonPoisonDead++;
        }
        continue;
      }
      if (!runs.isEmpty() && JobWorkerProcess.behaviour(runs.get(0).payload()) == JobWorkerProcess.Behaviour.POISON) {
        violations.add("poison job " + id + " is not in the dead letters");
      }
      if (acks.size() > 1) {
        violations.add("duplicated: job " + id + " acknowledged " + acks.size() + " times: " + acks);
      } else if (acks.size() == 1) {
        Told ack = acks.get(0);
        Start last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (last == null || last.token() != ack.token()) {
          violations.add("acknowledged attempt " + ack + " is not the job's last attempt " + last);
        }
      } else {
        // no acknowledgement seen: its answer was lost (worker killed before it logged it, or the reply lost to a
        // Redis kill and the retry found it gone)
        boolean unknown = false;
        for (Start s : runs) {
          End ended = ends.get(s.id() + "/" + s.token());
          Told answer = told.get(s.id() + "/" + s.token());
          if (ended != null && ended.how().equals("ok") && (answer == null || answer.answer() == 'G')) {
            unknown = true;
          }
        }
        if (unknown) {
          ackUnknown++;
        } else {
          violations.add("lost: job " + id + " is gone from Redis without a success (" + runs + ")");
        }
      }
    }

    // ---- Redis' end state and counters
    if (end.ready() != 0 || end.delayed() != 0 || end.inFlight() != 0) {
      violations.add("queue not empty: ready " + end.ready() + ", delayed " + end.delayed() + ", in flight "
          + end.inFlight());
    }
    if (!end.headers().equals(end.deadAttempts().keySet())) {
      Set<String> extra = new HashSet<>(end.headers());
      extra.removeAll(end.deadAttempts().keySet());
      violations.add("headers left for jobs not dead: " + extra);
    }
    long dead = end.deadAttempts().size();
    long succeeded = end.counters().getOrDefault("succeeded", 0L);
    long submittedCounter = end.counters().getOrDefault("submitted", 0L);
    if (submittedCounter != known.size()) {
      violations.add("Redis counted " + submittedCounter + " submissions; histories know " + accepted.size()
          + " accepted and " + recovered.size() + " recovered from unknown outcomes");
    }
    if (succeeded != known.size() - dead) {
      violations.add("Redis counted " + succeeded + " successes for " + (known.size() - dead) + " jobs not dead");
    }
    if (end.counters().getOrDefault("deadLettered", 0L) != dead) {
      violations.add("Redis counted " + end.counters().get("deadLettered") + " dead letters; " + dead + " are dead");
    }
    long ackedSeen = acksOf.size();
    if (ackedSeen > succeeded || ackedSeen + ackUnknown < succeeded) {
      violations.add("acknowledgements seen " + ackedSeen + " (+ " + ackUnknown + " unknown) do not match Redis' "
          + succeeded + " successes");
    }
    long staleSeen = tolds.stream().filter(t -> t.answer() == 'S').count();
    long staleCounter = end.counters().getOrDefault("stale", 0L);
    if (staleSeen > staleCounter) {
      violations.add("workers saw " + staleSeen + " stale answers, Redis counted " + staleCounter);
    }

    // ---- drains end within their deadline
    for (Drain d : drains) {
      if (d.begin() < 0 || d.end() - d.begin() > drainMicros + 1_200_000) {
        violations.add("drain of " + d.worker() + " took " + (d.end() - d.begin()) / 1000 + " ms (deadline "
            + drainMicros / 1000 + " ms + 1.2 s)");
      }
    }
    for (Fault f : faults) {
      if (f.kind().equals("term") && drains.stream().noneMatch(d -> d.worker().equals(f.target()))) {
        violations.add("worker " + f.target() + " got SIGTERM and did not record its drain");
      }
    }

    summary.put("submissions", (long) submits.size());
    summary.put("submissionsUnknown", (long) failedSubmits);
    summary.put("jobsAccepted", (long) accepted.size());
    summary.put("jobsRecovered", (long) recovered.size());
    summary.put("attemptsStarted", (long) starts.size());
    summary.put("reruns", reruns);
    summary.put("rerunsAfterFailure", rerunsAfterFailure);
    summary.put("rerunsAfterFault", rerunsAfterFault);
    summary.put("rerunsAfterRelease", rerunsAfterRelease);
    summary.put("succeeded", succeeded);
    summary.put("ackUnknown", ackUnknown);
    summary.put("dead", dead);
    summary.put("nonPoisonDead", nonPoisonDead);
    summary.put("staleAnswersSeen", staleSeen);
    summary.put("staleCounter", staleCounter);
    summary.put("expiredCounter", end.counters().getOrDefault("expired", 0L));
    summary.put("drains", (long) drains.size());
    lateness.sort(null);
    summary.put("delayedStartsCalm", (long) lateness.size());
    if (!lateness.isEmpty()) {
      summary.put("delayedLatenessP50Ms", lateness.get(lateness.size() / 2) / 1000);
      summary.put("delayedLatenessP99Ms", lateness.get((int) (lateness.size() * 0.99)) / 1000);
      summary.put("delayedLatenessMaxMs", lateness.get(lateness.size() - 1) / 1000);
    }
    Map<String, Long> kinds = new TreeMap<>();
    faults.forEach(f -> kinds.merge("faults." + f.kind(), 1L, Long::sum));
    summary.putAll(kinds);
  }

  /** A fault of this worker (or of Redis) overlapping [from, to]. */
  @Nullable Fault faultOf(String worker, long from, long to) {
    for (Fault f : faults) {
      if (f.target().equals(worker) && f.from() <= to && f.to() >= from) {
        return f;
      }
    }
    return null;
  }

  /** A Redis outage overlapping [from, to] (its effects last until a second after it is back). */
  @Nullable Fault redisFault(long from, long to) {
    for (Fault f : faults) {
      if (f.kind().startsWith("redis") && f.from() <= to && f.to() + 1_000_000 >= from) {
        return f;
      }
    }
    return null;
  }

  private @Nullable Fault anyFault(long from, long to) {
    for (Fault f : faults) {
      if (f.from() <= to && f.to() + 1_000_000 >= from) {
        return f;
      }
    }
    return null;
  }

  /**
   * When each job in flight on a worker at {@code at} next started elsewhere (or on the same worker after), in µs
   * after {@code at}: for the redelivery bound.
   *
   * @param worker the worker killed or stopped at {@code at}
   * @param at the fault's time
   * @return per job id in flight then, µs from {@code at} to its next start (absent: never started again)
   */
  Map<String, Long> redelivery(String worker, long at) {
    Map<String, Long> delays = new LinkedHashMap<>();
    for (Start s : starts) {
      if (!s.worker().equals(worker) || s.t() > at) {
        continue;
      }
      End ended = ends.get(s.id() + "/" + s.token());
      if (ended != null && ended.t() <= at) {
        continue;
      }
      Long next = starts.stream().filter(o -> o.id().equals(s.id()) && o.token() > s.token())
          .map(o -> o.t() - at).min(Long::compare).orElse(null);
      delays.put(s.id(), next);
    }
    return delays;
  }

  /**
   * The answers a worker got, after {@code after}, for the attempts it had in flight at {@code at}.
   *
   * @param worker the worker
   * @param at when its attempts were in flight
   * @return the answers
   */
  List<Told> answersFor(String worker, long at) {
    Set<String> inFlight = new HashSet<>();
    for (Start s : starts) {
      End ended = ends.get(s.id() + "/" + s.token());
      if (s.worker().equals(worker) && s.t() <= at && (ended == null || ended.t() > at)) {
        inFlight.add(s.id() + "/" + s.token());
      }
    }
    List<Told> answers = new ArrayList<>();
    for (Told t : tolds) {
      if (t.worker().equals(worker) && inFlight.contains(t.id() + "/" + t.token())) {
        answers.add(t);
      }
    }
    return answers;
  }
}
