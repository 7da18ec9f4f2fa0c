package io.distkit.hashing.redis;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.Clock;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import io.distkit.core.internal.Utf8;
import io.distkit.core.redis.RedisBackend;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Client-side sharding over several independent Redis servers: a {@link NodeLocator} picks, for each key, R
 * distinct servers in preference order (its replicas).
 *
 * <pre>{@code
 * RedisShardRouter<Shard> shards = RedisShardRouter.<Shard>builder()
 *     .shard(shardA, RedisBackend.create(clientA))
 *     .shard(shardB, RedisBackend.create(clientB))
 *     .shard(shardC, RedisBackend.create(clientC))
 *     .replicationFactor(2)   // every key on two servers
 *     .writeQuorum(1)         // acknowledged once one has it
 *     .build();
 * shards.set("session:42", bytes, Duration.ofMinutes(30));
 * byte[] session = shards.get("session:42");
 * }</pre>
 *
 * <h2>Writes</h2>
 * A write goes to each of the key's R replicas, one after the other; it is acknowledged when at least W
 * (the write quorum) applied it, otherwise it throws {@link WriteQuorumException}. An ejected server counts as
 * a replica that failed; writes are not redirected to other servers.
 *
 * <h2>Reads</h2>
 * A read goes to the first healthy replica; when that server is unavailable, to the next. {@link #get} also
 * moves on when a replica answers "no such key", because a server that was down during a write (or restarted
 * empty) may lack it; it returns null only when every replica that answered lacks the key. Hence: <b>no
 * acknowledged write is lost while at most R − W of its replicas are down or have lost their data</b> (tested
 * with three servers, one killed and restarted under load). Limits: a replica that was cut off (not
 * restarted) during an overwrite may serve the older value until overwritten again, and a delete that a down
 * replica missed comes back with it; there is no read repair or hinted handoff.
 *
 * <h2>Ejection</h2>
 * A server that fails {@link Builder#ejectAfter(int) ejectAfter} calls in a row (unavailable, timed out) is
 * ejected: reads skip it and writes count it as failed, without waiting for its timeout. Every
 * {@link Builder#probeInterval(Duration) probe interval} a background {@code PING} checks it; the first answer
 * brings it back. Key placement never changes with ejections, so keys return to their servers.
 *
 * <p>Thread-safe; the clients stay the caller's (close them after {@link #close()}).
 *
 * @param <N> the shard type
 */
public final class RedisShardRouter<N extends Node> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisShardRouter.class);

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
   * @param failed the replicas that did not (unavailable or ejected)
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
   */
  public record Stats(long reads, long writes, long quorumFailures, long ejections, long returns) {}

  /** One server and its health. */
  private static final class Shard<N extends Node> {
    final N node;
    final RedisBackend backend;
    final AtomicInteger failuresInARow = new AtomicInteger();
    final AtomicBoolean ejected = new AtomicBoolean();
    volatile long ejectedAtNanos;

    Shard(N node, RedisBackend backend) {
      this.node = node;
      this.backend = backend;
    }
  }

  private final NodeLocator<N> locator;
  /** Aligned with {@code locator.nodes()}. */
  private final List<Shard<N>> shards;
  private final int replicationFactor;
  private final int writeQuorum;
  private final int ejectAfter;
  private final Clock clock;
  private final Listener<N> listener;
  private final ScheduledExecutorService prober;
  private final LongAdder reads = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder quorumFailures = new LongAdder();
  private final LongAdder ejections = new LongAdder();
  private final LongAdder returns = new LongAdder();

  private RedisShardRouter(Builder<N> builder, int writeQuorum) {
    this.locator = builder.locator.locator(new ArrayList<>(builder.shards.keySet()));
    List<Shard<N>> list = new ArrayList<>();
    for (N node : locator.nodes()) {
      list.add(new Shard<>(node, builder.shards.get(node)));
    }
    this.shards = List.copyOf(list);
    this.replicationFactor = builder.replicationFactor;
    this.writeQuorum = writeQuorum;
    this.ejectAfter = builder.ejectAfter;
    this.clock = builder.clock;
    this.listener = builder.listener;
    this.prober = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "distkit-shard-prober");
      thread.setDaemon(true);
      return thread;
    });
    long probe = builder.probeIntervalNanos;
    prober.scheduleWithFixedDelay(this::probeEjected, probe, probe, TimeUnit.NANOSECONDS);
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
   * @return R distinct servers
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
   * Ejected replicas are tried last, in case they are back before their probe says so.
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
   * Reads a string value, moving on to the next replica when one is unavailable <em>or lacks the key</em>.
   *
   * @param key the Redis key
   * @return the value from the first replica that has it, or null when every replica that answered lacks it
   * @throws BackendUnavailableException when every replica is unavailable
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form)
   */
  public byte @Nullable [] get(String key) {
    byte[] keyBytes = keyBytes(key);
    BackendUnavailableException last = null;
    boolean answered = false;
    for (Shard<N> shard : readOrder(keyBytes)) {
      try {
        byte[] value = call(shard, jedis -> jedis.get(keyBytes));
        answered = true;
        if (value != null) {
          reads.increment();
          return value;
        }
      } catch (BackendUnavailableException e) {
        last = e;
      }
    }
    if (answered) {
      reads.increment();
      return null;
    }
    throw unavailable(key, last);
  }

  private List<Shard<N>> readOrder(byte[] key) {
    int[] replicas = replicaIndices(key);
    List<Shard<N>> order = new ArrayList<>(replicas.length);
    for (int i : replicas) {
      if (!shards.get(i).ejected.get()) {
        order.add(shards.get(i));
      }
    }
    for (int i : replicas) {
      if (shards.get(i).ejected.get()) {
        order.add(shards.get(i));
      }
    }
    return order;
  }

  private BackendUnavailableException unavailable(String key, @Nullable BackendUnavailableException last) {
    return new BackendUnavailableException("No replica of key '" + key + "' is available (replicas "
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
      if (shard.ejected.get()) {
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
    if (acknowledged.size() < writeQuorum) {
      quorumFailures.increment();
      throw new WriteQuorumException("Write of key '" + key + "' reached " + acknowledged.size() + " of "
          + replicationFactor + " replicas, fewer than the write quorum " + writeQuorum + " (failed: "
          + failed.stream().map(Node::nodeId).toList() + ")", acknowledged.size(), writeQuorum, last);
    }
    writes.increment();
    return new WriteResult<>(acknowledged, failed);
  }

  /**
   * Sets a string value with a time to live on every replica ({@code SET key value PX ttl}).
   *
   * @param key the Redis key
   * @param value the value
   * @param ttl how long the value lives, at least 1 ms
   * @return the replicas that applied it
   * @throws WriteQuorumException when fewer replicas than the write quorum applied it
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form)
   */
  public WriteResult<N> set(String key, byte[] value, Duration ttl) {
    byte[] keyBytes = keyBytes(key);
    Objects.requireNonNull(value, "value");
    long millis = Require.positive(Require.positiveNanos(ttl, "ttl") / 1_000_000, "ttl in ms");
    return write(key, keyBytes, jedis -> jedis.set(keyBytes, value, SetParams.setParams().px(millis)));
  }

  /**
   * Deletes a key on every replica.
   *
   * @param key the Redis key
   * @return the replicas that applied it
   * @throws WriteQuorumException when fewer replicas than the write quorum applied it
   * @throws IllegalArgumentException when the key holds an unpaired surrogate (it has no UTF-8 form)
   */
  public WriteResult<N> delete(String key) {
    byte[] keyBytes = keyBytes(key);
    return write(key, keyBytes, jedis -> jedis.del(keyBytes));
  }

  private <T> T call(Shard<N> shard, Function<? super UnifiedJedis, T> command) {
    try {
      T result = shard.backend.execute(command);
      succeeded(shard);
      return result;
    } catch (BackendUnavailableException e) {
      failed(shard, e);
      throw e;
    }
  }

  private void succeeded(Shard<N> shard) {
    shard.failuresInARow.set(0);
    if (shard.ejected.compareAndSet(true, false)) {
      Duration out = Duration.ofNanos(Math.max(0, clock.nanoTime() - shard.ejectedAtNanos));
      returns.increment();
      log.info("Redis shard {} is back after {} ms", shard.node.nodeId(), out.toMillis());
      Listeners.notify(listener, "onReturned", l -> l.onReturned(shard.node, out));
    }
  }

  private void failed(Shard<N> shard, BackendUnavailableException cause) {
    if (shard.failuresInARow.incrementAndGet() >= ejectAfter && shard.ejected.compareAndSet(false, true)) {
      shard.ejectedAtNanos = clock.nanoTime();
      ejections.increment();
      log.warn("Redis shard {} ejected after {} failures in a row: {}", shard.node.nodeId(), ejectAfter,
          cause.getMessage());
      Listeners.notify(listener, "onEjected", l -> l.onEjected(shard.node, cause));
    }
  }

  private void probeEjected() {
    for (Shard<N> shard : shards) {
      if (shard.ejected.get()) {
        try {
          call(shard, UnifiedJedis::ping);
        } catch (RuntimeException e) {
          log.debug("Redis shard {} still unavailable: {}", shard.node.nodeId(), e.toString());
        }
      }
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
        return shard.ejected.get();
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
    return new Stats(reads.sum(), writes.sum(), quorumFailures.sum(), ejections.sum(), returns.sum());
  }

  /** Stops probing ejected servers. The clients stay open: they are the caller's. */
  @Override
  public void close() {
    prober.shutdownNow();
  }

  @Override
  public String toString() {
    return "RedisShardRouter[" + shards.size() + " shards, R " + replicationFactor + ", W " + writeQuorum + ", "
        + locator.config() + "]";
  }

  /**
   * Configures a {@link RedisShardRouter}. Not thread-safe.
   *
   * <table>
   *   <caption>Settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #shard}</td><td>required, at least one</td><td>a server and its backend</td></tr>
   *   <tr><td>{@link #locator}</td><td>{@link LocatorConfig#ring()}</td><td>how keys are placed</td></tr>
   *   <tr><td>{@link #replicationFactor}</td><td>1</td><td>R: servers per key</td></tr>
   *   <tr><td>{@link #writeQuorum}</td><td>a majority of R</td><td>W: servers that must apply a write</td></tr>
   *   <tr><td>{@link #ejectAfter}</td><td>3</td><td>failures in a row that eject a server</td></tr>
   *   <tr><td>{@link #probeInterval}</td><td>1 s</td><td>how often ejected servers are pinged</td></tr>
   *   <tr><td>{@link #clock}</td><td>{@link Clock#system()}</td><td>times ejections</td></tr>
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
    private int ejectAfter = 3;
    private long probeIntervalNanos = Duration.ofSeconds(1).toNanos();
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
     * R, how many distinct servers hold each key.
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
     * at most R − W of its replicas are down or lose their data.
     *
     * @param writeQuorum 1 to R; default a majority of R ({@code R / 2 + 1})
     * @return this builder
     */
    public Builder<N> writeQuorum(int writeQuorum) {
      this.writeQuorum = (int) Require.positive(writeQuorum, "writeQuorum");
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
     * How often ejected servers are pinged to see whether they are back.
     *
     * @param probeInterval positive; default 1 s
     * @return this builder
     */
    public Builder<N> probeInterval(Duration probeInterval) {
      this.probeIntervalNanos = Require.positiveNanos(probeInterval, "probeInterval");
      return this;
    }

    /**
     * The clock that times ejections (for the listener).
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
     * Creates the router and starts its prober thread.
     *
     * @return the router
     * @throws IllegalArgumentException when there is no shard, R exceeds the shards, or W exceeds R
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
      return new RedisShardRouter<>(this, quorum);
    }
  }
}
