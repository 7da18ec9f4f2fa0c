package io.distkit.hashing.redis;

import io.distkit.core.BackendListener;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.Clock;
import io.distkit.core.DistkitException;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Quote;
import io.distkit.core.internal.Require;
import io.distkit.core.internal.Utf8;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisScript;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.HealthTracker;
import io.distkit.core.session.Scheduler;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Client-side sharding over several independent Redis servers: a {@link NodeLocator} picks, for each key, N
 * distinct servers in preference order (its replicas), and {@link #set}, {@link #get} and {@link #delete} keep a
 * versioned copy on each with write and read quorums.
 *
 * <pre>{@code
 * RedisShardRouter<Shard> shards = RedisShardRouter.<Shard>builder()
 *     .shard(shardA, RedisBackend.create(clientA))
 *     .shard(shardB, RedisBackend.create(clientB))
 *     .shard(shardC, RedisBackend.create(clientC))
 *     .replicationFactor(3)   // N: every key on three servers
 *     .writeQuorum(2)         // W: acknowledged once two have it
 *     .readQuorum(2)          // R: a read asks two (R + W > N)
 *     .build();
 * shards.set("session:42", bytes, Duration.ofMinutes(30));
 * byte[] session = shards.get("session:42");
 * }</pre>
 *
 * <h2>Versions</h2>
 * Every value {@link #set} or {@link #delete} stores carries a version: this router's hybrid logical clock (its
 * {@link Builder#clock clock}'s epoch milliseconds × 2<sup>16</sup> + a counter, never behind a version it has
 * read) and a random writer id that breaks ties. A replica replaces its copy only with a newer version, in one
 * script; a replica that holds a newer one refuses and says which, and the router writes again above it (at
 * most three attempts), so a writer whose clock is behind still lands after writes it could see. A delete stores
 * a tombstone (a version without a value) that lives {@link Builder#tombstoneTtl tombstoneTtl}, or as long as
 * the value it replaced when that is longer. Stored values have format version 1: byte 0 the format, bytes
 * 1&ndash;8 the version, 9&ndash;16 the writer (big-endian), byte 17 the kind (0 value, 1 tombstone), then the
 * value's bytes (18 bytes of overhead per copy).
 *
 * <h2>Writes</h2>
 * A write goes to each of the key's N replicas, one after the other; it is acknowledged when at least W (the
 * write quorum) applied it, otherwise it throws {@link WriteQuorumException} (replicas that applied it keep it;
 * there is no rollback). An ejected server counts as a replica that failed; writes are not redirected to other
 * servers.
 *
 * <h2>Reads</h2>
 * {@link #get} asks the key's replicas, healthy ones first, until R (the read quorum) have answered, and goes on
 * past replicas that lack the key altogether (a server restarted empty) while none of the answers has it. It
 * returns the newest version among the answers (null for a tombstone or when every answer lacks the key), and
 * first writes that version to the replicas that answered with an older one or none (read repair, counted in
 * {@link Stats#readRepairs()}). Fewer than R answers: {@link ReadQuorumException}.
 *
 * <h2>Guarantee</h2>
 * <b>With R + W &gt; N and 2W &gt; N (the defaults), a {@code get} that begins after a {@code set} or
 * {@code delete} of the key was acknowledged returns that write's value or a newer one's, whatever the clocks
 * of the writers, as long as no replica of the key lost its data (restarted empty) in between.</b> Tested by a
 * checker over the history of two routers writing, deleting and reading under load while one of three servers
 * is frozen (SIGSTOP) and thawed. Independently, <b>an acknowledged write is never lost (read as missing) while
 * at most N &minus; W of its replicas are down or have lost their data</b> (tested by killing one of three
 * servers under load and restarting it empty). With 2W &le; N, versions order writes by the writers' clocks
 * where no replica saw both: a write can lose to an earlier one from a writer whose clock is ahead. With
 * R + W &le; N a read may miss the latest write.
 *
 * <h2>Commands</h2>
 * {@link #read} and {@link #write} run any command on the replicas of a key, for data the versioned methods do
 * not cover (hashes, counters): {@code write} needs W replicas to apply it, {@code read} takes the first healthy
 * replica's answer. They carry no versions and no read repair; do not mix them with {@code set}/{@code get} on
 * one key ({@code get} refuses a value that is not in its format).
 *
 * <h2>Ejection</h2>
 * Each server has a core {@link HealthTracker}: a server that fails {@link Builder#ejectAfter(int) ejectAfter}
 * calls in a row (unavailable, timed out) is ejected: reads try it last and writes count it as failed, without
 * waiting for its timeout. While it is out, a {@code PING} probes it on the {@link Builder#scheduler scheduler},
 * spaced by the {@link Builder#probeBackoff probe backoff}; the first answer (or any call that succeeds) brings it
 * back. Key placement never changes with ejections, so keys return to their servers.
 *
 * <p>Cost: no thread of its own (probes are scheduler tasks, only while a server is ejected); no connection of
 * its own (each call borrows one from its server's client); {@code set} and {@code delete} send one
 * {@code EVALSHA} per replica (more when a replica holds a newer version), {@code get} one per replica asked plus
 * one per repaired replica. Thread-safe; the clients stay the caller's (close them after {@link #close()}).
 *
 * @param <N> the shard type
 */
public final class RedisShardRouter<N extends Node> implements AutoCloseable {

  /** The least time a delete's tombstone lives, unless configured. */
  public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofHours(1);

  /** The delays between pings of an ejected server unless configured: 1 s, doubling to 10 s, with jitter. */
  public static final Backoff DEFAULT_PROBE_BACKOFF = Backoff.exponential(Duration.ofSeconds(1),
      Duration.ofSeconds(10));

  private static final Logger log = LoggerFactory.getLogger(RedisShardRouter.class);

  private static final RedisScript VERSIONED = RedisScript.fromResource(RedisShardRouter.class,
      "versioned_value.lua");
  private static final byte[] GET = "get".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PUT = "put".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEEP_LONGER_TTL = {'1'};
  private static final byte[] OWN_TTL = {'0'};
  /** Writes of one set or delete, each above the newest version a replica refused the one before for. */
  private static final int MAX_WRITE_ATTEMPTS = 3;

  /**
   * Hears about servers leaving and rejoining the rotation. Both methods default to no-ops; an exception thrown
   * from one is logged at WARN and changes nothing.
   *
   * @param <N> the shard type
   */
  public interface Listener<N extends Node> {

    /**
     * A server failed {@code ejectAfter} calls in a row and is skipped until it answers a probe.
     *
     * @param shard the server
     * @param cause the last failure
     */
    default void onEjected(N shard, Throwable cause) {}

    /**
     * An ejected server answered and is back in rotation.
     *
     * @param shard the server
     * @param ejectedFor how long it was out, by the router's clock
     */
    default void onReturned(N shard, Duration ejectedFor) {}
  }

  /**
   * The outcome of an acknowledged write.
   *
   * @param acknowledged the replicas that applied it, at least the write quorum
   * @param failed the replicas that did not (unavailable, ejected, or holding a newer version written
   *     meanwhile)
   * @param <N> the shard type
   */
  public record WriteResult<N extends Node>(List<N> acknowledged, List<N> failed) {

    /**
     * Copies the lists.
     *
     * @param acknowledged the replicas that applied it
     * @param failed the replicas that did not
     */
    public WriteResult {
      Objects.requireNonNull(acknowledged, "acknowledged");
      Objects.requireNonNull(failed, "failed");
      acknowledged = List.copyOf(acknowledged);
      failed = List.copyOf(failed);
    }
  }

  /**
   * Counters since the router was built; each only grows.
   *
   * @param reads reads served
   * @param writes writes acknowledged
   * @param quorumFailures writes that missed their quorum
   * @param ejections times a server was ejected
   * @param returns times an ejected server came back
   * @param readRepairs replicas a {@code get} found behind and wrote the newest version to
   */
  public record Stats(long reads, long writes, long quorumFailures, long ejections, long returns, long readRepairs) {}

  /** One replica's answer to a versioned read. */
  private record Answer<N extends Node>(Shard<N> shard, @Nullable VersionedValue value, long ttlMillis) {}

  /** One server and its health. */
  private static final class Shard<N extends Node> {
    final N node;
    final RedisBackend backend;
    final HealthTracker health;

    Shard(N node, RedisBackend backend, Builder<N> builder) {
      this.node = node;
      this.backend = backend;
      Listener<N> listener = builder.listener;
      this.health = HealthTracker.builder("Redis shard " + node.nodeId(), () -> backend.execute(UnifiedJedis::ping))
          .ejectAfter(builder.ejectAfter)
          .probeBackoff(builder.probeBackoff)
          .scheduler(builder.scheduler)
          .clock(builder.clock)
          .listener(new BackendListener() {
            @Override
            public void onOutage(String backendName, Throwable cause) {
              Listeners.notify(listener, "onEjected", l -> l.onEjected(node, cause));
            }

            @Override
            public void onRecovery(String backendName, Duration outage) {
              Listeners.notify(listener, "onReturned", l -> l.onReturned(node, outage));
            }
          })
          .build();
    }

    boolean ejected() {
      return !health.isHealthy();
    }
  }

  private final NodeLocator<N> locator;
  /** Aligned with {@code locator.nodes()}. */
  private final List<Shard<N>> shards;
  private final int replicationFactor;
  private final int writeQuorum;
  private final int readQuorum;
  private final long tombstoneTtlMillis;
  private final HybridClock versions;
  private final long writerId = ThreadLocalRandom.current().nextLong();
  private final LongAdder reads = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder quorumFailures = new LongAdder();
  private final LongAdder readRepairs = new LongAdder();

  private RedisShardRouter(Builder<N> builder, int writeQuorum, int readQuorum) {
    this.locator = builder.locator.locator(new ArrayList<>(builder.shards.keySet()));
    List<Shard<N>> list = new ArrayList<>();
    for (N node : locator.nodes()) {
      list.add(new Shard<>(node, builder.shards.get(node), builder));
    }
    this.shards = List.copyOf(list);
    this.replicationFactor = builder.replicationFactor;
    this.writeQuorum = writeQuorum;
    this.readQuorum = readQuorum;
    this.tombstoneTtlMillis = builder.tombstoneTtlMillis;
    this.versions = new HybridClock(builder.clock);
  }

  /**
   * Starts configuring a router.
   *
   * @param <N> the shard type
   * @return a builder with every setting at its default
   */
  public static <N extends Node> Builder<N> builder() {
    return new Builder<>();
  }

  /**
   * The replicas of a key, in preference order.
   *
   * @param key the Redis key
   * @return N distinct servers
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form)
   */
  public List<N> replicas(String key) {
    return locator.locate(keyBytes(key), replicationFactor);
  }

  /**
   * A key's UTF-8 bytes: what placement hashes and what commands send, so the two always agree. A key holding
   * an unpaired surrogate has no UTF-8 form and is refused ({@code String.getBytes} would make it {@code '?'},
   * merging {@code "user:\uD800"} with {@code "user:?"}).
   */
  private static byte[] keyBytes(String key) {
    Objects.requireNonNull(key, "key");
    byte[] bytes = new byte[Utf8.wellFormedLength(key, "key")];
    Utf8.encode(key, bytes);
    return bytes;
  }

  private int[] replicaIndices(byte[] key) {
    int[] into = new int[replicationFactor];
    locator.nodeIndices(locator.hash(key), into);
    return into;
  }

  /**
   * Runs a read on the first healthy replica of a key, and on the next ones while they are unavailable.
   * Ejected replicas are tried last, in case they are back before their probe says so. No read quorum and no
   * versions: for data written with {@link #write}; use {@link #get} for values written with {@link #set}.
   *
   * @param key the Redis key the command reads (placement follows it)
   * @param command the read, e.g. {@code jedis -> jedis.hgetAll(key)}; must not hold on to the client
   * @param <T> the result type
   * @return what the first replica that answered returned
   * @throws BackendUnavailableException when every replica is unavailable
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form)
   */
  public <T> T read(String key, Function<? super UnifiedJedis, T> command) {
    byte[] keyBytes = keyBytes(key);
    Objects.requireNonNull(command, "command");
    BackendUnavailableException last = null;
    for (Shard<N> shard : readOrder(keyBytes)) {
      try {
        T result = call(shard, command);
        reads.increment();
        return result;
      } catch (BackendUnavailableException e) {
        last = e;
      }
    }
    throw unavailable(key, last);
  }

  /**
   * Reads a value written by {@link #set}: the newest version among a read quorum of the key's replicas (see
   * the class description), after writing it to the replicas that answered with an older one.
   *
   * @param key the Redis key
   * @return the value, or null when it was deleted or no replica that answered has the key
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form)
   * @throws ReadQuorumException when fewer replicas than the read quorum answered
   * @throws io.distkit.core.DistkitException when a replica holds something that is not a value of the router's
   *     format (written by {@link #write} or by another program)
   */
  public byte @Nullable [] get(String key) {
    byte[] keyBytes = keyBytes(key);
    List<Answer<N>> answers = new ArrayList<>(replicationFactor);
    VersionedValue newest = null;
    BackendUnavailableException last = null;
    for (Shard<N> shard : readOrder(keyBytes)) {
      if (answers.size() >= readQuorum && newest != null) {
        break; // a quorum answered; only while every answer lacks the key do the others get asked
      }
      try {
        Answer<N> answer = readVersioned(shard, key, keyBytes);
        answers.add(answer);
        if (answer.value() != null && answer.value().newerThan(newest)) {
          newest = answer.value();
        }
      } catch (BackendUnavailableException e) {
        last = e;
      }
    }
    if (answers.size() < readQuorum) {
      throw new ReadQuorumException("Read of key " + Quote.of(key) + " reached " + answers.size() + " of "
          + replicationFactor + " replicas, fewer than the read quorum " + readQuorum, answers.size(), readQuorum,
          last);
    }
    reads.increment();
    if (newest == null) {
      return null;
    }
    versions.observe(newest.version());
    repair(key, keyBytes, answers, newest);
    return newest.tombstone() ? null : newest.value();
  }

  private Answer<N> readVersioned(Shard<N> shard, String key, byte[] keyBytes) {
    List<?> reply = (List<?>) callOn(shard, backend -> backend.eval(VERSIONED, List.of(keyBytes),
        List.of(GET)));
    byte[] stored = (byte[]) reply.get(0);
    return new Answer<>(shard, stored == null ? null : VersionedValue.parse(stored, key), (Long) reply.get(1));
  }

  /** Writes the newest version to the replicas that answered with an older one; a failure only logs. */
  private void repair(String key, byte[] keyBytes, List<Answer<N>> answers, VersionedValue newest) {
    long ttl = -1;
    for (Answer<N> answer : answers) {
      if (newest.equals(answer.value())) {
        ttl = Math.max(ttl, answer.ttlMillis());
      }
    }
    if (ttl <= 0) {
      return; // it expires now: nothing worth copying
    }
    for (Answer<N> answer : answers) {
      if (newest.newerThan(answer.value())) {
        try {
          putVersioned(answer.shard(), keyBytes, newest, ttl, OWN_TTL);
          readRepairs.increment();
        } catch (BackendUnavailableException e) {
          log.debug("Read repair of key {} on shard {} failed: {}", Quote.of(key), answer.shard().node.nodeId(),
              e.toString());
        }
      }
    }
  }

  /**
   * Writes a stored value to one replica unless it holds a newer one.
   *
   * @return null when written (or the replica already holds this very write), else the refusing replica's newer
   *     version and writer as a parsed header
   */
  private long @Nullable [] putVersioned(Shard<N> shard, byte[] keyBytes, VersionedValue value, long ttlMillis,
      byte[] ttlMode) {
    List<?> reply = (List<?>) callOn(shard, backend -> backend.eval(VERSIONED, List.of(keyBytes),
        List.of(PUT, value.stored(), Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII), ttlMode)));
    if ((Long) reply.get(0) == 1) {
      return null;
    }
    byte[] header = (byte[]) reply.get(1);
    long version = VersionedValue.versionOf(header);
    long writer = VersionedValue.writerOf(header);
    return version == value.version() && writer == value.writer() ? null : new long[] {version, writer};
  }

  private List<Shard<N>> readOrder(byte[] key) {
    int[] replicas = replicaIndices(key);
    List<Shard<N>> order = new ArrayList<>(replicas.length);
    for (int i : replicas) {
      if (!shards.get(i).ejected()) {
        order.add(shards.get(i));
      }
    }
    for (int i : replicas) {
      if (shards.get(i).ejected()) {
        order.add(shards.get(i));
      }
    }
    return order;
  }

  private BackendUnavailableException unavailable(String key, @Nullable BackendUnavailableException last) {
    return new BackendUnavailableException("No replica of key " + Quote.of(key) + " is available (replicas "
        + replicas(key).stream().map(Node::nodeId).toList() + ")", last);
  }

  /**
   * Runs a write on every replica of a key.
   *
   * @param key the Redis key the command writes (placement follows it)
   * @param command the write, e.g. {@code jedis -> jedis.hset(key, field, value)}; must not hold on to the
   *     client, and should give the key a TTL
   * @return the replicas that applied it (at least the write quorum) and those that did not
   * @throws WriteQuorumException when fewer replicas than the write quorum applied it
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form)
   */
  public WriteResult<N> write(String key, Function<? super UnifiedJedis, ?> command) {
    return write(key, keyBytes(key), Objects.requireNonNull(command, "command"));
  }

  private WriteResult<N> write(String key, byte[] keyBytes, Function<? super UnifiedJedis, ?> command) {
    List<N> acknowledged = new ArrayList<>(replicationFactor);
    List<N> failed = new ArrayList<>();
    BackendUnavailableException last = null;
    for (int i : replicaIndices(keyBytes)) {
      Shard<N> shard = shards.get(i);
      if (shard.ejected()) {
        failed.add(shard.node);
        continue;
      }
      try {
        call(shard, command);
        acknowledged.add(shard.node);
      } catch (BackendUnavailableException e) {
        failed.add(shard.node);
        last = e;
      }
    }
    return acknowledge(key, acknowledged, failed, last);
  }

  /**
   * Stores a value with a time to live on every replica, as a new version (see the class description).
   *
   * @param key the Redis key
   * @param value the value
   * @param ttl how long the value lives, at least 1 ms
   * @return the replicas that applied it
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form), or the TTL
   *     is below 1 ms
   * @throws WriteQuorumException when fewer replicas than the write quorum applied it
   * @throws io.distkit.core.DistkitException when a replica holds something that is not a value of the router's
   *     format
   */
  public WriteResult<N> set(String key, byte[] value, Duration ttl) {
    byte[] keyBytes = keyBytes(key);
    Objects.requireNonNull(value, "value");
    long millis = Require.positive(Require.positiveNanos(ttl, "ttl") / 1_000_000, "ttl in ms");
    return writeVersioned(key, keyBytes, false, value, millis);
  }

  /**
   * Deletes a key on every replica: stores a tombstone, a new version without a value, that lives
   * {@link Builder#tombstoneTtl tombstoneTtl} or as long as the value it replaces, whichever is longer.
   *
   * @param key the Redis key
   * @return the replicas that applied it
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form)
   * @throws WriteQuorumException when fewer replicas than the write quorum applied it
   * @throws io.distkit.core.DistkitException when a replica holds something that is not a value of the router's
   *     format
   */
  public WriteResult<N> delete(String key) {
    return writeVersioned(key, keyBytes(key), true, new byte[0], tombstoneTtlMillis);
  }

  private WriteResult<N> writeVersioned(String key, byte[] keyBytes, boolean tombstone, byte[] value,
      long ttlMillis) {
    int[] replicas = replicaIndices(keyBytes);
    for (int attempt = 1; ; attempt++) {
      VersionedValue stored = VersionedValue.of(versions.next(), writerId, tombstone, value);
      List<N> acknowledged = new ArrayList<>(replicationFactor);
      List<N> failed = new ArrayList<>();
      boolean refused = false;
      BackendUnavailableException last = null;
      for (int i : replicas) {
        Shard<N> shard = shards.get(i);
        if (shard.ejected()) {
          failed.add(shard.node);
          continue;
        }
        try {
          long[] newer = putVersioned(shard, keyBytes, stored, ttlMillis, tombstone ? KEEP_LONGER_TTL : OWN_TTL);
          if (newer == null) {
            acknowledged.add(shard.node);
          } else {
            refused = true;
            versions.observe(newer[0]);
            failed.add(shard.node);
          }
        } catch (BackendUnavailableException e) {
          failed.add(shard.node);
          last = e;
        } catch (DistkitException e) {
          throw new DistkitException("Write of key " + Quote.of(key) + " refused by shard " + shard.node.nodeId()
              + ": " + e.getMessage(), e);
        }
      }
      if (refused && attempt < MAX_WRITE_ATTEMPTS) {
        // a replica holds a newer version (a concurrent write, or one from a writer whose clock is ahead): write
        // again above it, so this write is not ordered before one that may have completed before it began
        continue;
      }
      return acknowledge(key, acknowledged, failed, last);
    }
  }

  private WriteResult<N> acknowledge(String key, List<N> acknowledged, List<N> failed,
      @Nullable BackendUnavailableException last) {
    if (acknowledged.size() < writeQuorum) {
      quorumFailures.increment();
      throw new WriteQuorumException("Write of key " + Quote.of(key) + " reached " + acknowledged.size() + " of "
          + replicationFactor + " replicas, fewer than the write quorum " + writeQuorum + " (failed: "
          + failed.stream().map(Node::nodeId).toList() + ")", acknowledged.size(), writeQuorum, last);
    }
    writes.increment();
    return new WriteResult<>(acknowledged, failed);
  }

  private <T> T call(Shard<N> shard, Function<? super UnifiedJedis, T> command) {
    return callOn(shard, backend -> backend.execute(command));
  }

  /** Runs one call on a shard's backend, telling its health tracker how it went. */
  private <T> T callOn(Shard<N> shard, Function<RedisBackend, T> call) {
    try {
      T result = call.apply(shard.backend);
      shard.health.recordSuccess();
      return result;
    } catch (BackendUnavailableException e) {
      shard.health.recordFailure(e);
      throw e;
    }
  }

  /**
   * Whether a server is ejected right now.
   *
   * @param nodeId the server's id
   * @return true while it is out of rotation
   * @throws IllegalArgumentException when no server has that id
   */
  public boolean isEjected(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    for (Shard<N> shard : shards) {
      if (shard.node.nodeId().equals(nodeId)) {
        return shard.ejected();
      }
    }
    throw new IllegalArgumentException("no shard has nodeId '" + nodeId + "'");
  }

  /**
   * The locator that places keys.
   *
   * @return the locator over every server, ejected or not
   */
  public NodeLocator<N> locator() {
    return locator;
  }

  /**
   * The router's counters.
   *
   * @return a snapshot
   */
  public Stats stats() {
    long ejections = 0;
    long returns = 0;
    for (Shard<N> shard : shards) {
      HealthTracker.Stats health = shard.health.stats();
      ejections += health.ejections();
      returns += health.returns();
    }
    return new Stats(reads.sum(), writes.sum(), quorumFailures.sum(), ejections, returns, readRepairs.sum());
  }

  /**
   * Stops probing ejected servers (they stay ejected until a call succeeds). The clients stay open: they are the
   * caller's. Idempotent.
   */
  @Override
  public void close() {
    shards.forEach(shard -> shard.health.close());
  }

  @Override
  public String toString() {
    return "RedisShardRouter[" + shards.size() + " shards, N " + replicationFactor + ", W " + writeQuorum + ", R "
        + readQuorum + ", " + locator.config() + "]";
  }

  /**
   * Configures a {@link RedisShardRouter}. Not thread-safe.
   *
   * <table>
   *   <caption>Settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #shard}</td><td>required, at least one</td><td>a server and its backend</td></tr>
   *   <tr><td>{@link #locator}</td><td>{@link LocatorConfig#ring()}</td><td>how keys are placed</td></tr>
   *   <tr><td>{@link #replicationFactor}</td><td>1</td><td>N: servers per key</td></tr>
   *   <tr><td>{@link #writeQuorum}</td><td>a majority of N</td><td>W: servers that must apply a write</td></tr>
   *   <tr><td>{@link #readQuorum}</td><td>N &minus; W + 1</td><td>R: servers a {@code get} asks</td></tr>
   *   <tr><td>{@link #tombstoneTtl}</td><td>1 h</td><td>the least a delete's tombstone lives</td></tr>
   *   <tr><td>{@link #ejectAfter}</td><td>3</td><td>failures in a row that eject a server</td></tr>
   *   <tr><td>{@link #probeBackoff}</td><td>{@link #DEFAULT_PROBE_BACKOFF}: 1 s doubling to 10 s</td>
   *       <td>the delays between pings of an ejected server</td></tr>
   *   <tr><td>{@link #scheduler}</td><td>{@link Scheduler#shared()}</td><td>runs the probes</td></tr>
   *   <tr><td>{@link #clock}</td><td>{@link Clock#system()}</td><td>times ejections; seeds versions</td></tr>
   *   <tr><td>{@link #listener}</td><td>no-op</td><td>hears ejections and returns</td></tr>
   * </table>
   *
   * @param <N> the shard type
   */
  public static final class Builder<N extends Node> {
    private final Map<N, RedisBackend> shards = new LinkedHashMap<>();
    private LocatorConfig locator = LocatorConfig.ring();
    private int replicationFactor = 1;
    private int writeQuorum;
    private int readQuorum;
    private long tombstoneTtlMillis = DEFAULT_TOMBSTONE_TTL.toMillis();
    private int ejectAfter = 3;
    private Backoff probeBackoff = DEFAULT_PROBE_BACKOFF;
    private Scheduler scheduler = Scheduler.shared();
    private Clock clock = Clock.system();
    private Listener<N> listener = new Listener<>() {};

    private Builder() {}

    /**
     * Adds a server.
     *
     * @param node the server's node: its id places keys, so keep it stable (not an address that changes)
     * @param backend the server's backend, with a guard of its own (one {@link RedisBackend#create} per
     *     server)
     * @return this builder
     */
    public Builder<N> shard(N node, RedisBackend backend) {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(backend, "backend");
      for (N existing : shards.keySet()) {
        if (existing.nodeId().equals(node.nodeId())) {
          throw new IllegalArgumentException("nodeId '" + node.nodeId() + "' appears twice: shard ids must be "
              + "distinct");
        }
      }
      shards.put(node, backend);
      return this;
    }

    /**
     * How keys are placed on servers. Every client of the same servers must use the same.
     *
     * @param locator default {@link LocatorConfig#ring()}
     * @return this builder
     */
    public Builder<N> locator(LocatorConfig locator) {
      this.locator = Objects.requireNonNull(locator, "locator");
      return this;
    }

    /**
     * N, how many distinct servers hold each key.
     *
     * @param replicationFactor 1 to the number of shards; default 1
     * @return this builder
     */
    public Builder<N> replicationFactor(int replicationFactor) {
      this.replicationFactor = (int) Require.positive(replicationFactor, "replicationFactor");
      return this;
    }

    /**
     * W, how many replicas must apply a write for it to be acknowledged. An acknowledged write survives while
     * at most N − W of its replicas are down or lose their data; 2W &gt; N orders writes by real time whatever
     * the writers' clocks.
     *
     * @param writeQuorum 1 to N; default a majority of N ({@code N / 2 + 1})
     * @return this builder
     */
    public Builder<N> writeQuorum(int writeQuorum) {
      this.writeQuorum = (int) Require.positive(writeQuorum, "writeQuorum");
      return this;
    }

    /**
     * R, how many replicas a {@link RedisShardRouter#get get} must hear from: it returns the newest version
     * among them. R + W &gt; N makes every read meet every acknowledged write (see the guarantee in the class
     * description); a smaller R reads faster and may return an older value.
     *
     * @param readQuorum 1 to N; default {@code N − W + 1}, the least with R + W &gt; N
     * @return this builder
     */
    public Builder<N> readQuorum(int readQuorum) {
      this.readQuorum = (int) Require.positive(readQuorum, "readQuorum");
      return this;
    }

    /**
     * The least time a delete's tombstone lives on a replica (it lives as long as the value it replaces when
     * that is longer). A replica that missed the delete keeps the old value until that value expires; while a
     * tombstone of the delete lives on the replicas that applied it, reads and read repair keep the old value
     * from coming back. Set it to at least the longest TTL you give values if deletes must hold against a
     * replica that was cut off and missed them.
     *
     * @param tombstoneTtl at least 1 ms; default 1 hour
     * @return this builder
     */
    public Builder<N> tombstoneTtl(Duration tombstoneTtl) {
      this.tombstoneTtlMillis = Require.positive(Require.positiveNanos(tombstoneTtl, "tombstoneTtl") / 1_000_000,
          "tombstoneTtl in ms");
      return this;
    }

    /**
     * How many calls in a row must fail before a server is ejected.
     *
     * @param ejectAfter at least 1; default 3
     * @return this builder
     */
    public Builder<N> ejectAfter(int ejectAfter) {
      this.ejectAfter = (int) Require.positive(ejectAfter, "ejectAfter");
      return this;
    }

    /**
     * The delays between pings of an ejected server: ping {@code n} is sent {@code backoff.delay(n)} after the
     * ejection or the ping before. A server back from a short outage returns at the first ping; one down for
     * long is pinged at the backoff's cap. {@code Backoff.fixed(interval)} pings at a steady interval.
     *
     * @param probeBackoff default {@link #DEFAULT_PROBE_BACKOFF} (1 s doubling to 10 s, with jitter)
     * @return this builder
     */
    public Builder<N> probeBackoff(Backoff probeBackoff) {
      this.probeBackoff = Objects.requireNonNull(probeBackoff, "probeBackoff");
      return this;
    }

    /**
     * Where the pings of ejected servers run.
     *
     * @param scheduler default {@link Scheduler#shared()}; the router does not close it
     * @return this builder
     */
    public Builder<N> scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The clock that times ejections (for the listener) and seeds the versions of written values.
     *
     * @param clock default {@link Clock#system()}
     * @return this builder
     */
    public Builder<N> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Hears ejections and returns.
     *
     * @param listener default: does nothing
     * @return this builder
     */
    public Builder<N> listener(Listener<N> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Creates the router, every server in rotation.
     *
     * @return the router
     * @throws IllegalArgumentException when there is no shard, N exceeds the shards, or W or R exceeds N
     */
    public RedisShardRouter<N> build() {
      if (shards.isEmpty()) {
        throw new IllegalArgumentException("a router needs at least one shard");
      }
      if (replicationFactor > shards.size()) {
        throw new IllegalArgumentException("replicationFactor (" + replicationFactor + ") must be at most the "
            + "number of shards (" + shards.size() + ")");
      }
      int quorum = writeQuorum == 0 ? replicationFactor / 2 + 1 : writeQuorum;
      if (quorum > replicationFactor) {
        throw new IllegalArgumentException("writeQuorum (" + quorum + ") must be at most replicationFactor ("
            + replicationFactor + ")");
      }
      int reads = readQuorum == 0 ? replicationFactor - quorum + 1 : readQuorum;
      if (reads > replicationFactor) {
        throw new IllegalArgumentException("readQuorum (" + reads + ") must be at most replicationFactor ("
            + replicationFactor + ")");
      }
      return new RedisShardRouter<>(this, quorum, reads);
    }
  }
}
