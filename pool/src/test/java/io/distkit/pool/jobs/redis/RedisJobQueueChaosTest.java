package io.distkit.pool.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.session.Backoff;
import io.distkit.core.testing.ChildJvm;
import io.distkit.core.testing.HistoryFile;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.pool.jobs.DeadJob;
import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobStats;
import io.distkit.pool.jobs.RetryPolicy;
import io.distkit.pool.jobs.Submission;
import io.distkit.pool.jobs.redis.JobChaosChecker.Fault;
import io.distkit.pool.jobs.redis.JobChaosChecker.Submit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * The Redis job queue under chaos, checked over recorded histories (issue 17): worker JVMs
 * ({@link JobWorkerProcess}) killed with SIGKILL, frozen with SIGSTOP for longer than their lease, drained with
 * SIGTERM, and Redis (AOF, fsync always) killed and restarted on the same port and directory, while this JVM submits
 * jobs (some delayed, mixed priorities, some twice with an idempotency key, some in batches) and records its
 * submissions. A seeded nemesis picks the faults; then everything heals, the queue drains, and two measured faults
 * (a kill and a stop, with capacity free elsewhere) time the redelivery. {@link JobChaosChecker} then checks the
 * merged histories against Redis' final state: nothing lost, nothing unexpected, no job's success counted twice,
 * re-runs only after a failure or a fault, tokens increasing with attempts, stale acknowledgements refused.
 *
 * <p>{@code -Dchaos.seconds=N} lengthens the chaos phase (default 20) for soaking (also raise the test timeout:
 * {@code -Djunit.jupiter.execution.timeout.test.method.default=60m}); {@code -Dchaos.seed=S} replays a seed's
 * nemesis and submissions (timings differ). A failure keeps {@code target/chaos/<seed>/} (every history, each
 * worker's output, Redis' log) and names the seed; {@code -Dchaos.keep=true} keeps it after a success too.
 */
class RedisJobQueueChaosTest {

  private static final Logger log = LoggerFactory.getLogger(RedisJobQueueChaosTest.class);

  private static final String QUEUE = "chaos";
  private static final int WORKERS = 3;
  private static final int CONCURRENCY = 8;
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final int MAX_ATTEMPTS = 3;
  private static final RetryPolicy RETRY = RetryPolicy.DEFAULT.withMaxAttempts(MAX_ATTEMPTS)
      .withBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(500)));
  /** How long after a worker dies (or stalls) its jobs may start elsewhere: the lease, plus 1 s (issue 17). */
  private static final long REDELIVERY_BOUND_MICROS = LEASE.toMillis() * 1_000 + 1_000_000;

  private Path dir;
  private RedisServerProcess redis;
  private RedisClient client;
  private JobQueue<Long> queue;
  private HistoryFile orchestrator;
  private final List<Worker> live = new ArrayList<>();
  private final List<Worker> all = new ArrayList<>();
  private final List<Submit> submits = Collections.synchronizedList(new ArrayList<>());
  private final List<Fault> faults = new ArrayList<>();
  /** The workers of the measured faults, by kind. */
  private final Map<String, Worker> victims = new HashMap<>();
  private int spawned;
  private volatile boolean submitting = true;

  /** A worker JVM and its history. */
  private record Worker(String name, Path history, ChildJvm jvm) {}

  @Test
  void noJobIsLostOrCountedTwiceWhileWorkersAndRedisAreKilledStoppedAndRestarted() throws Exception {
    long seed = Long.getLong("chaos.seed", new Random().nextLong());
    int seconds = Integer.getInteger("chaos.seconds", 20);
    dir = Path.of("target", "chaos", Long.toString(seed)).toAbsolutePath();
    if (Files.exists(dir)) {
      deleteEvidence(); // a replay's histories start afresh
    }
    Files.createDirectories(dir);
    log.info("Chaos seed {} for {} s, histories in {}", seed, seconds, dir);
    try {
      run(seed, seconds);
    } catch (Throwable e) {
      keepEvidence();
      throw new AssertionError("chaos failed with seed " + seed + " (replay: -Dchaos.seed=" + seed + "); histories "
          + "kept in " + dir + ":\n" + e.getMessage(), e);
    }
    if (!Boolean.getBoolean("chaos.keep")) {
      deleteEvidence();
    }
  }

  @AfterEach
  void tearDown() {
    submitting = false;
    for (Worker worker : all) {
      worker.jvm().close();
    }
    if (queue != null) {
      queue.close();
    }
    if (client != null) {
      client.close();
    }
    if (orchestrator != null) {
      orchestrator.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private void run(long seed, int seconds) throws Exception {
    redis = RedisServers.startStandalone("--appendonly", "yes", "--appendfsync", "always");
    client = RedisClient.builder().hostAndPort(redis.hostAndPort())
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(1000).build()).build();
    queue = RedisJobQueue.builder(RedisBackend.create(client), QUEUE, Codec.longs()).build();
    orchestrator = HistoryFile.append(dir.resolve("orchestrator.log"));
    log.info("Chaos on {} ({})", redis, redis.binary());
    for (int i = 0; i < WORKERS; i++) {
      spawn();
    }
    awaitReady();

    // ---- chaos: submissions while the nemesis strikes
    Thread submitter = new Thread(() -> submit(new Random(seed * 31 + 7)), "chaos-submitter");
    submitter.start();
    Random nemesis = new Random(seed);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<String> bag = new ArrayList<>();
    while (System.nanoTime() - end < 0) {
      pace(1_000 + nemesis.nextInt(1_500));
      if (bag.isEmpty()) {
        bag.addAll(List.of("kill", "stop", "redis", "term", "redis-pause"));
        Collections.shuffle(bag, nemesis);
      }
      strike(bag.remove(0), nemesis);
    }
    submitting = false;
    submitter.join();
    int chaosFaults = faults.size();
    record("phase", "heal");
    awaitReady();
    awaitEmpty(Duration.ofSeconds(60));

    // ---- measured faults, with capacity free on the other workers
    long killedAt = measuredFault("kill", 0);
    long stoppedAt = measuredFault("stop", 10);
    JobChaosChecker measured = checker();
    Worker killed = victim("kill");
    Worker stopped = victim("stop");
    Map<String, Long> afterKill = measured.redelivery(killed.name(), killedAt);
    Map<String, Long> afterStop = measured.redelivery(stopped.name(), stoppedAt);
    log.info("Redelivery (µs from the fault to the next start): after kill -9 {}, after SIGSTOP {}", afterKill,
        afterStop);
    List<String> violations = new ArrayList<>();
    redeliveredInTime("kill -9", afterKill, violations);
    redeliveredInTime("SIGSTOP", afterStop, violations);
    List<JobChaosChecker.Told> late = measured.answersFor(stopped.name(), stoppedAt).stream()
        .filter(t -> t.op() == 'a').toList();
    if (late.isEmpty()) {
      violations.add("the stopped worker sent no acknowledgement of the jobs it held when stopped");
    }
    late.stream().filter(t -> t.answer() != 'S')
        .forEach(t -> violations.add("a late acknowledgement of a worker stopped past its lease was not refused as "
            + "stale: " + t));

    // ---- the whole history against Redis' final state
    for (Worker worker : live) {
      if (!worker.jvm().isAlive()) {
        violations.add(worker.name() + " exited on its own");
      }
    }
    JobChaosChecker checker = checker();
    checker.check(finalState(), MAX_ATTEMPTS, LEASE.toMillis() * 1_000, JobWorkerProcess.DRAIN.toMillis() * 1_000);
    // kills in the chaos phase: the slowest redelivery, of all and of those with no other fault around them
    long slowest = -1;
    long slowestCalm = -1;
    for (Fault f : faults.subList(0, chaosFaults)) {
      if (f.kind().equals("kill")) {
        boolean calm = faults.stream().noneMatch(g -> g != f && g.from() <= f.from() + REDELIVERY_BOUND_MICROS
            && g.to() >= f.from() - LEASE.toMillis() * 1_000);
        for (Long delay : checker.redelivery(f.target(), f.from()).values()) {
          long millis = delay == null ? -1 : delay / 1000;
          slowest = Math.max(slowest, millis);
          slowestCalm = calm ? Math.max(slowestCalm, millis) : slowestCalm;
          if (calm && millis > REDELIVERY_BOUND_MICROS / 1000) {
            violations.add("a job in flight at " + f + ", with no other fault around, started again after "
                + millis + " ms");
          }
        }
      }
    }
    checker.summary().put("redeliveryAfterChaosKillsMaxMs", slowest);
    checker.summary().put("redeliveryAfterCalmChaosKillsMaxMs", slowestCalm);
    checker.summary().put("redeliveryAfterMeasuredKillMaxMs", max(afterKill) / 1000);
    checker.summary().put("redeliveryAfterMeasuredStopMaxMs", max(afterStop) / 1000);
    log.info("Chaos seed {}: {}", seed, checker.summary());
    System.out.println("Chaos seed " + seed + ": " + checker.summary());
    violations.addAll(checker.violations());
    if (checker.summary().get("staleCounter") == 0) {
      violations.add("no stale acknowledgement was refused (Redis' stale counter is 0)");
    }
    if (checker.summary().get("jobsAccepted") < 500) {
      violations.add("only " + checker.summary().get("jobsAccepted") + " jobs accepted");
    }
    if (!violations.isEmpty()) {
      Files.write(dir.resolve("violations.txt"), violations, StandardCharsets.UTF_8);
    }
    assertThat(violations.subList(0, Math.min(30, violations.size())))
        .as("violations (%d in all, see violations.txt; summary: %s)", violations.size(), checker.summary())
        .isEmpty();
  }

  private static long max(Map<String, Long> delays) {
    return delays.values().stream().mapToLong(d -> d == null ? -1 : d).max().orElse(-1);
  }

  private static void redeliveredInTime(String fault, Map<String, Long> delays, List<String> violations) {
    if (delays.isEmpty()) {
      violations.add("no job was in flight on the worker of the measured " + fault);
    }
    delays.forEach((id, delay) -> {
      if (delay == null || delay > REDELIVERY_BOUND_MICROS) {
        violations.add("job " + id + " in flight at the measured " + fault + " started again after "
            + (delay == null ? "never" : delay / 1000 + " ms") + " (lease + 1 s: " + REDELIVERY_BOUND_MICROS / 1000
            + " ms)");
      }
    });
  }

  // ------------------------------------------------------------------------------------------------ submissions

  private void submit(Random random) {
    long n = 0;
    JobOptions base = JobOptions.DEFAULT.retry(RETRY);
    while (submitting) {
      if (random.nextInt(100) < 3) {
        List<Long> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          batch.add(++n);
        }
        long t = JobWorkerProcess.micros();
        try {
          List<Submission> got = queue.submitAll(batch, base);
          for (int i = 0; i < batch.size(); i++) {
            submitted(new Submit(t, batch.get(i), null, true, got.get(i).jobId(), got.get(i).duplicate(), 0));
          }
        } catch (RuntimeException e) {
          batch.forEach(payload -> submitted(new Submit(t, payload, null, false, null, false, 0)));
          pace(20);
        }
      } else {
        n++;
        JobOptions options = base.priority(random.nextInt(3) * 5 - 5);
        if (random.nextInt(4) == 0) {
          options = options.delay(Duration.ofMillis(random.nextInt(3_000)));
        }
        String key = random.nextInt(20) == 0 ? "key-" + n : null;
        if (key != null) {
          options = options.idempotencyKey(key);
          submitOne(n, options, key);
        }
        submitOne(n, options, key);
      }
      pace(4);
    }
  }

  private void submitOne(long payload, JobOptions options, @Nullable String key) {
    long t = JobWorkerProcess.micros();
    long delay = options.delay().toNanos() / 1_000;
    try {
      Submission got = queue.submit(payload, options);
      submitted(new Submit(t, payload, key, true, got.jobId(), got.duplicate(), delay));
    } catch (RuntimeException e) {
      submitted(new Submit(t, payload, key, false, null, false, delay));
      pace(20);
    }
  }

  private void submitted(Submit s) {
    submits.add(s);
    orchestrator.record("submit", Long.toString(s.t()), Long.toString(s.payload()), String.valueOf(s.key()),
        s.ok() ? "ok" : "unknown", String.valueOf(s.id()), Boolean.toString(s.duplicate()),
        Long.toString(s.delayMicros()));
  }

  // ---------------------------------------------------------------------------------------------------- faults

  private void strike(String kind, Random random) {
    switch (kind) {
      case "kill" -> {
        Worker victim = live.get(random.nextInt(live.size()));
        kill(victim);
      }
      case "stop" -> {
        Worker victim = busiest();
        stop(victim, LEASE.toMillis() + 500 + random.nextInt(1_000));
      }
      case "term" -> {
        Worker victim = busiest();
        long from = JobWorkerProcess.micros();
        victim.jvm().terminate();
        live.remove(victim);
        spawn();
        int code = victim.jvm().waitFor(Duration.ofSeconds(15));
        fault(new Fault("term", victim.name(), from, JobWorkerProcess.micros()), "exit " + code);
      }
      case "redis" -> {
        long from = JobWorkerProcess.micros();
        redis.kill();
        pace(200 + random.nextInt(1_000));
        redis.restart();
        fault(new Fault("redis", "redis", from, JobWorkerProcess.micros()), "");
      }
      case "redis-pause" -> {
        long from = JobWorkerProcess.micros();
        redis.pause();
        pace(500 + random.nextInt(1_500));
        redis.resume();
        fault(new Fault("redis-pause", "redis", from, JobWorkerProcess.micros()), "");
      }
      default -> throw new IllegalArgumentException(kind);
    }
  }

  private void kill(Worker victim) {
    long from = JobWorkerProcess.micros();
    victim.jvm().kill();
    live.remove(victim);
    fault(new Fault("kill", victim.name(), from, JobWorkerProcess.micros()), "");
    spawn();
  }

  private void stop(Worker victim, long millis) {
    long from = JobWorkerProcess.micros();
    victim.jvm().pause();
    pace(millis);
    victim.jvm().resume();
    fault(new Fault("stop", victim.name(), from, JobWorkerProcess.micros()), "");
  }

  /**
   * Submits 4 jobs longer than the lease, waits until they run, then kills or stops the worker that runs most of
   * them, and waits until the queue is empty again.
   *
   * @return when the fault struck (µs)
   */
  private long measuredFault(String kind, long offset) {
    record("phase", "measured-" + kind);
    List<Long> payloads = new ArrayList<>();
    for (long i = 0; i < 4; i++) {
      payloads.add(JobWorkerProcess.LONG_JOBS_FROM + offset + i);
    }
    long t = JobWorkerProcess.micros();
    List<Submission> got = queue.submitAll(payloads, JobOptions.DEFAULT.retry(RETRY));
    for (int i = 0; i < payloads.size(); i++) {
      submitted(new Submit(t, payloads.get(i), null, true, got.get(i).jobId(), false, 0));
    }
    Map<Long, String> holderOf = new HashMap<>();
    await("the long jobs to start").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          for (Worker worker : live) {
            for (List<String> e : HistoryFile.read(worker.history())) {
              if (e.get(0).equals("start") && payloads.contains(Long.parseLong(e.get(3)))) {
                holderOf.put(Long.parseLong(e.get(3)), worker.name());
              }
            }
          }
          return holderOf.size() == payloads.size();
        });
    Map<String, Long> holders = new HashMap<>();
    holderOf.values().forEach(worker -> holders.merge(worker, 1L, Long::sum));
    String name = holders.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    Worker victim = live.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    victims.put(kind, victim);
    long at = JobWorkerProcess.micros();
    if (kind.equals("kill")) {
      kill(victim);
    } else {
      stop(victim, LEASE.toMillis() + 1_500);
    }
    awaitReady();
    awaitEmpty(Duration.ofSeconds(30));
    return at;
  }

  private Worker victim(String kind) {
    return victims.get(kind);
  }

  /** The live worker with the most attempts under way, by its history. */
  private Worker busiest() {
    return live.stream().max(Comparator.comparingLong(w -> {
      long running = 0;
      for (List<String> e : HistoryFile.read(w.history())) {
        if (e.get(0).equals("start")) {
          running++;
        } else if (e.get(0).equals("end")) {
          running--;
        }
      }
      return running;
    })).orElseThrow();
  }

  private void fault(Fault fault, String note) {
    faults.add(fault);
    record(fault.kind(), fault.target(), Long.toString(fault.from()), Long.toString(fault.to()), note);
    log.info("Nemesis: {} {} for {} ms {}", fault.kind(), fault.target(), (fault.to() - fault.from()) / 1000, note);
  }

  private void spawn() {
    String name = "w" + (++spawned);
    Path history = dir.resolve(name + ".log");
    ChildJvm jvm = ChildJvm.start(JobWorkerProcess.class, RedisServerProcess.HOST, Integer.toString(redis.port()),
        QUEUE, history.toString(), Integer.toString(CONCURRENCY), Long.toString(LEASE.toMillis()));
    Worker worker = new Worker(name, history, jvm);
    live.add(worker);
    all.add(worker);
    record("spawn", name, Long.toString(jvm.pid()));
  }

  private void awaitReady() {
    for (Worker worker : live) {
      worker.jvm().awaitLine(line -> line.equals("ready"), Duration.ofSeconds(60));
    }
  }

  private void awaitEmpty(Duration atMost) {
    await("the queue to be empty").atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> {
          JobStats stats = queue.stats();
          return stats.queued() == 0 && stats.running() == 0;
        });
  }

  private void record(String... fields) {
    String[] line = new String[fields.length + 1];
    line[0] = fields[0];
    line[1] = Long.toString(JobWorkerProcess.micros());
    System.arraycopy(fields, 1, line, 2, fields.length - 1);
    orchestrator.record(line);
  }

  /** Waits: the nemesis' pace and fault lengths, where real time must pass. */
  private static void pace(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------------------------------------- checking

  private JobChaosChecker checker() {
    JobChaosChecker checker = new JobChaosChecker();
    synchronized (submits) {
      submits.forEach(checker::submit);
    }
    faults.forEach(checker::fault);
    for (Worker worker : all) {
      checker.worker(worker.name(), HistoryFile.read(worker.history()));
    }
    return checker;
  }

  private JobChaosChecker.FinalState finalState() {
    RedisKeys keys = RedisKeys.of(RedisKeys.DEFAULT_PREFIX, "jobs");
    Map<String, Integer> dead = new HashMap<>();
    for (DeadJob<Long> job : queue.deadLetters(1_000_000)) {
      dead.put(job.id(), job.attempts());
    }
    try (Jedis admin = redis.connect()) {
      Set<String> headers = admin.hkeys(keys.key(QUEUE, "h"));
      Map<String, Long> counters = new HashMap<>();
      admin.hgetAll(keys.key(QUEUE, "s")).forEach((field, value) -> {
        if (value.matches("-?\\d+")) {
          counters.put(field, Long.parseLong(value));
        }
      });
      return new JobChaosChecker.FinalState(dead, headers, admin.zcard(keys.key(QUEUE, "r")),
          admin.zcard(keys.key(QUEUE, "d")), admin.zcard(keys.key(QUEUE, "f")), counters);
    }
  }

  // ------------------------------------------------------------------------------------------------- evidence

  private void keepEvidence() {
    try {
      for (Worker worker : all) {
        Files.write(dir.resolve(worker.name() + ".out"), worker.jvm().output(), StandardCharsets.UTF_8);
      }
      if (redis != null && Files.exists(redis.dir().resolve("redis.log"))) {
        Files.copy(redis.dir().resolve("redis.log"), dir.resolve("redis.log"));
      }
    } catch (IOException e) {
      log.warn("Could not keep all the evidence in {}", dir, e);
    }
  }

  private void deleteEvidence() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
