package io.distkit.core.redis;

import io.distkit.core.BackendListener;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.Clock;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.SessionBuilder;
import io.distkit.core.session.Subscriber;
import io.distkit.core.session.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Pub/sub for every primitive on one client: one connection carries every channel (one per master with
 * sharded pub/sub), subscriptions come back after a reconnect, and each subscriber is told when it may have
 * missed messages so it can resynchronise (see {@link Subscriber} for the contract).
 *
 * <pre>{@code
 * // in a primitive: its share of the client's one hub, released when the primitive closes
 * RedisSubscriptions.Share pubsub = RedisSubscriptions.shared(backend, scheduler, clock);
 * Subscription sub = pubsub.subscribe(channel, new Subscriber() {
 *   public void onMessage(String channel, byte[] message) { apply(message); }
 *   public void onMissedMessages(String channel) { reloadEverything(); }
 * });
 * // ... and when the primitive closes: unsubscribes what this share subscribed, and the last share closes the hub
 * pubsub.close();
 * }</pre>
 *
 * <p><b>Sharing.</b> A primitive does not build a hub of its own: it takes a {@link Share} of one, and keeps only
 * the share. {@link #shared(RedisBackend, Scheduler, Clock)} hands out shares of the one hub of a client (the
 * {@code UnifiedJedis} behind the backend, by identity) and scheduler, so every primitive on a client shares one
 * pub/sub connection, whatever {@link RedisBackend} each was built on; the hub is built with the first share and
 * closed with the last. A caller that wants other settings (keep-alive, backoff, sharding, a listener) builds a
 * hub with {@link #builder(RedisBackend)}, closes it itself, and gives primitives {@link #share() shares} of it.
 *
 * <p><b>Plain or sharded.</b> On Redis Cluster 7 or newer, channels are shard channels ({@code SSUBSCRIBE},
 * {@code SPUBLISH}): a message stays on the master that serves its channel's hash slot instead of being
 * broadcast over the whole cluster bus, so give a primitive's channel the primitive's hash tag. Elsewhere
 * (standalone, Sentinel, Redis 6.2 Cluster), plain {@code SUBSCRIBE}/{@code PUBLISH}. Publishers must use the
 * same kind: {@link #publish(String, byte[])}, or pass {@link #publishCommand()} to a script that calls
 * {@code redis.call(ARGV[n], channel, message)}. Every JVM on the same Redis decides alike.
 *
 * <p><b>Reconnects.</b> A lost connection (an error, the server dropping the subscription after a failover, or
 * no answer to the keep-alive {@code PING} within one {@linkplain Builder#keepAlive(Duration) keep-alive
 * interval}) interrupts its channels at once ({@link Subscriber#onInterrupted}); reconnects go through the
 * backend's guard (a {@code PING} first, so an outage known to the guard is not hammered) and are spaced by a
 * {@link Backoff} on the {@link Scheduler}. Once a channel is live again, its subscribers get
 * {@link Subscriber#onMissedMessages}, and the listener {@link BackendListener#onMissedMessages}.
 *
 * <p><b>Cost.</b> Connections: one taken from the client's pool for as long as any channel is subscribed
 * (sharded: one per master that serves a subscribed channel). Threads: one blocking reader per connection
 * (through {@link Scheduler#executeBlocking}, a virtual thread where available), plus a keep-alive task on the
 * scheduler. Round trips: subscribing to a new channel sends one command on the open connection; subscribing
 * to a channel already open sends nothing. Messages are delivered on the reader thread. Thread-safe.
 *
 * <p>Keep-alive needs the client's connections: it works with {@code RedisClient}, {@code RedisClusterClient},
 * {@code JedisCluster} and a {@code RedisSentinelClient}; with other clients a half-open connection is only
 * noticed by the operating system.
 */
public final class RedisSubscriptions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisSubscriptions.class);

  /** The default reconnect backoff: 100 ms doubling to 5 s, with equal jitter. */
  public static final Backoff DEFAULT_RECONNECT_BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));

  /** The default {@linkplain Builder#keepAlive(Duration) keep-alive interval}: 5 s. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);

  /** Whether to use sharded pub/sub. */
  public enum Sharding {
    /** Sharded on Redis Cluster 7 and newer, plain elsewhere. The default. */
    AUTO,
    /** Always plain {@code SUBSCRIBE}/{@code PUBLISH}. */
    OFF
  }

  /**
   * Counters since the hub was built; {@code channels}, {@code subscribers} and {@code connections} are current
   * values, the others only grow.
   *
   * @param channels channels with at least one subscriber
   * @param subscribers open subscriptions
   * @param connections pub/sub connections live right now
   * @param messages messages received (each counted once, however many subscribers it reached)
   * @param reconnects connections lost while subscriptions wanted them
   * @param gaps channels that became live again after an interruption (each a possible loss of messages)
   */
  public record Stats(int channels, int subscribers, int connections, long messages, long reconnects, long gaps) {}

  private final RedisBackend backend;
  private final UnifiedJedis client;
  private final boolean cluster;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Backoff backoff;
  private final long keepAliveNanos;
  private final Sharding sharding;
  private final String name;
  private final BackendListener listener;

  /** Guards the link state machine; never held while a subscriber or listener is called. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  /** By master address (sharded) or one entry (plain). Guarded by lock. */
  private final Map<Object, Link> links = new HashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Scheduler.Task keepAliveTask;
  private volatile @Nullable Boolean sharded;

  private final LongAdder messages = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder gaps = new LongAdder();

  private RedisSubscriptions(Builder builder) {
    this.backend = builder.backend;
    this.client = backend.client();
    this.cluster = Topology.isCluster(client);
    this.scheduler = builder.configuredScheduler();
    this.clock = builder.configuredClock();
    this.backoff = builder.backoff;
    this.keepAliveNanos = builder.keepAliveNanos;
    this.sharding = builder.sharding;
    this.name = builder.name;
    this.listener = builder.configuredListener();
    if (!cluster || sharding == Sharding.OFF) {
      sharded = false;
    }
    this.keepAliveTask = scheduler.scheduleWithFixedDelay(this::keepAlive, Duration.ofNanos(keepAliveNanos),
        Duration.ofNanos(keepAliveNanos));
  }

  /**
   * Starts configuring a hub of one's own: for settings other than the defaults of
   * {@link #shared(RedisBackend, Scheduler, Clock)}. Build one per client, hand primitives {@link #share() shares}
   * of it, and close it when they are closed.
   *
   * @param backend the client's backend (its guard paces reconnects)
   * @return a builder
   */
  public static Builder builder(RedisBackend backend) {
    return new Builder(Objects.requireNonNull(backend, "backend"));
  }

  /**
   * A share of the one hub of this backend's client and this scheduler, which every primitive without a hub of
   * the caller's should use: shares of one client and scheduler share one hub, so one pub/sub connection (one per
   * master with sharded pub/sub), however many {@link RedisBackend}s, primitives and channels use it.
   *
   * <p><b>Which hub.</b> Hubs are told apart by the client (the {@code UnifiedJedis} the backend wraps, compared by
   * identity, not {@code equals}) and the scheduler (by identity): two backends made on one client share a hub,
   * two clients never do, and a primitive on another scheduler gets a hub (and a connection) of its own. The
   * first share builds the hub with the default settings of {@link Builder}, the first share's backend (its guard
   * paces the hub's reconnects) and clock (which times its keep-alives: pass the clock your scheduler's time
   * follows, as every primitive on the scheduler should); no {@link BackendListener} hears it, so a primitive
   * reports the gaps its subscribers hear to its own listener.
   *
   * <p><b>Lifetime.</b> The last share to close closes the hub (its connections end); a later call builds a new
   * one. The registry of hubs holds a client only while a share of it is open, so a client whose primitives are
   * all closed can be garbage collected; a share that is never closed keeps its hub, connection and client, as an
   * unclosed hub would.
   *
   * <p><b>Cost.</b> This call does no I/O and never connects (the hub connects on its first subscription, on the
   * scheduler's blocking reader), so a Redis that is down does not fail it; it is thread-safe and takes no lock
   * that a connection attempt could hold up. A
   * new hub costs a keep-alive task on the scheduler; threads: none of its own beyond one blocking reader per
   * connection ({@link Scheduler#executeBlocking}).
   *
   * @param backend the primitive's backend; its client chooses the hub
   * @param scheduler the primitive's scheduler, where the hub's readers, reconnects and keep-alives run
   * @param clock the primitive's clock
   * @return this caller's share, to close when the caller closes
   */
  public static Share shared(RedisBackend backend, Scheduler scheduler, Clock clock) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(clock, "clock");
    return SharedHubs.acquire(backend, scheduler, clock);
  }

  /**
   * A share of this hub for one primitive: what it subscribes through the share is unsubscribed when the share
   * closes, and the hub stays open (it is the caller's, to close when every primitive using it is closed).
   *
   * @return a new share
   * @throws IllegalStateException when this hub is closed
   */
  public Share share() {
    if (closed.get()) {
      throw new IllegalStateException("RedisSubscriptions " + name + " is closed");
    }
    return new Share(this, backend, () -> {});
  }

  /**
   * Subscribes to a channel. The subscriber's {@link Subscriber#onMissedMessages} marks the moment from which
   * it receives every message (while connected): soon after this call when the channel is new (once Redis
   * confirms), on a scheduler thread when the channel is already live.
   *
   * @param channel the channel; on Redis Cluster give it the hash tag of the state it announces
   * @param subscriber receives messages and gap notices
   * @return the subscription, to close when done
   * @throws BackendUnavailableException only on Redis Cluster, when Redis cannot be asked its version the first
   *     time; elsewhere a subscription made while Redis is down becomes live when Redis is back
   */
  public Subscription subscribe(String channel, Subscriber subscriber) {
    Require.nonBlank(channel, "channel");
    Objects.requireNonNull(subscriber, "subscriber");
    if (closed.get()) {
      throw new IllegalStateException("RedisSubscriptions " + name + " is closed");
    }
    boolean shardedMode = isSharded();
    byte[] channelBytes = channel.getBytes(StandardCharsets.UTF_8);
    Object node = shardedMode ? masterOf(Topology.slot(channelBytes)) : PLAIN;
    Handle handle;
    boolean live;
    lock.lock();
    try {
      Channel c = channels.get(channel);
      if (c == null) {
        c = new Channel(channel, channelBytes);
        channels.put(channel, c);
        Link link = links.computeIfAbsent(node, Link::new);
        c.link = link;
        link.channels.put(channel, c);
        link.reconcile();
      }
      handle = new Handle(c, subscriber);
      c.handles.add(handle);
      live = c.live;
    } finally {
      lock.unlock();
    }
    if (live) {
      scheduler.execute(() -> {
        if (!handle.closed) {
          Listeners.notify(subscriber, "onMissedMessages", s -> s.onMissedMessages(channel));
        }
      });
    }
    return handle;
  }

  /**
   * Publishes a message with the command subscribers of this kind hear ({@code PUBLISH} or {@code SPUBLISH}).
   *
   * @param channel the channel
   * @param message the message
   * @return how many subscriptions received it, as Redis counts them (on Cluster with plain pub/sub, those of
   *     the node that took the command)
   * @throws BackendUnavailableException when Redis is unavailable
   */
  public long publish(String channel, byte[] message) {
    return publish(backend, channel, message);
  }

  /** Publishes through {@code via}'s guard (a share's own backend, on this hub's client). */
  private long publish(RedisBackend via, String channel, byte[] message) {
    byte[] channelBytes = channel.getBytes(StandardCharsets.UTF_8);
    Protocol.Command command = isSharded() ? Protocol.Command.SPUBLISH : Protocol.Command.PUBLISH;
    return via.execute(jedis -> {
      if (cluster) {
        try (Connection connection = Topology.connectionForSlot(jedis, Topology.slot(channelBytes))) {
          return (Long) connection.executeCommand(new CommandArguments(command).add(channelBytes).add(message));
        }
      }
      return jedis.publish(channelBytes, message);
    });
  }

  /**
   * The publish command matching this hub's subscriptions, for scripts that announce changes themselves.
   *
   * @return {@code "SPUBLISH"} when sharded, else {@code "PUBLISH"}
   * @throws BackendUnavailableException on Redis Cluster, when Redis cannot be asked its version
   */
  public String publishCommand() {
    return isSharded() ? "SPUBLISH" : "PUBLISH";
  }

  /**
   * Whether this hub uses sharded pub/sub.
   *
   * @return true on Redis Cluster 7 or newer (unless turned off)
   * @throws BackendUnavailableException on Redis Cluster, when Redis cannot be asked its version the first time
   */
  public boolean isSharded() {
    Boolean result = sharded;
    if (result == null) {
      String info = backend.execute(jedis -> {
        try (Connection connection = Topology.connectionForSlot(jedis, 0)) {
          Object reply = connection.executeCommand(new CommandArguments(Protocol.Command.INFO).add("server"));
          return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
        }
      });
      result = majorVersion(info) >= 7;
      sharded = result;
      log.debug("Subscriptions {}: Redis Cluster {} sharded pub/sub", name, result ? "with" : "without");
    }
    return result;
  }

  /** The major version in {@code INFO server}'s {@code redis_version} (Valkey reports one too). */
  static int majorVersion(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        String version = line.substring("redis_version:".length()).trim();
        int dot = version.indexOf('.');
        try {
          return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  private Object masterOf(int slot) {
    return backend.execute(jedis -> {
      try (Connection connection = Topology.connectionForSlot(jedis, slot)) {
        return connection.getHostAndPort();
      }
    });
  }

  /**
   * The hub's counters.
   *
   * @return a snapshot
   */
  public Stats stats() {
    lock.lock();
    try {
      int subscribers = channels.values().stream().mapToInt(c -> c.handles.size()).sum();
      int connections = (int) links.values().stream().filter(l -> l.state == LinkState.LIVE).count();
      return new Stats(channels.size(), subscribers, connections, messages.sum(), reconnects.sum(), gaps.sum());
    } finally {
      lock.unlock();
    }
  }

  /** Unsubscribes everything and stops reconnecting. Subscriptions stop receiving. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    keepAliveTask.cancel();
    lock.lock();
    try {
      for (Link link : links.values()) {
        link.shutDown();
      }
      for (Channel c : channels.values()) {
        c.live = false;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} ran (a share never hands out a closed hub; tests check it). */
  boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "RedisSubscriptions[" + name + ", " + channels.size() + " channels]";
  }

  /**
   * One primitive's use of a hub ({@link RedisSubscriptions#shared(RedisBackend, Scheduler, Clock)} or
   * {@link RedisSubscriptions#share()}): subscribes and publishes through the hub, and remembers its own
   * subscriptions, so that closing the share ends exactly those. It never exposes the hub, so a primitive cannot
   * close it under the others.
   *
   * <p>Thread-safe. Closing is idempotent; a subscription made concurrently with {@link #close()} is closed too.
   */
  public static final class Share implements AutoCloseable {
    private final RedisSubscriptions hub;
    private final RedisBackend backend;
    private final Runnable release;
    private final java.util.Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    Share(RedisSubscriptions hub, RedisBackend backend, Runnable release) {
      this.hub = hub;
      this.backend = backend;
      this.release = release;
    }

    /**
     * Subscribes to a channel through the hub, as {@link RedisSubscriptions#subscribe(String, Subscriber)} does;
     * the subscription also ends when this share closes.
     *
     * @param channel the channel; on Redis Cluster give it the hash tag of the state it announces
     * @param subscriber receives messages and gap notices
     * @return the subscription; closing it early is fine
     * @throws IllegalStateException when this share (or the hub of a {@link RedisSubscriptions#share()}) is closed
     * @throws BackendUnavailableException only on Redis Cluster, when Redis cannot be asked its version the first
     *     time
     */
    public Subscription subscribe(String channel, Subscriber subscriber) {
      checkOpen();
      Subscription subscription = new Tracked(hub.subscribe(channel, subscriber));
      subscriptions.add(subscription);
      if (closed.get()) { // closed meanwhile: close() may have missed it
        subscription.close();
        checkOpen();
      }
      return subscription;
    }

    /**
     * Publishes with the command the hub's subscribers hear, through this share's backend (its guard).
     *
     * @param channel the channel
     * @param message the message
     * @return how many subscriptions received it, as {@link RedisSubscriptions#publish(String, byte[])} counts
     * @throws BackendUnavailableException when Redis is unavailable
     */
    public long publish(String channel, byte[] message) {
      return hub.publish(backend, channel, message);
    }

    /**
     * The publish command of the hub, for scripts that announce changes themselves.
     *
     * @return {@code "SPUBLISH"} when sharded, else {@code "PUBLISH"}
     * @throws BackendUnavailableException on Redis Cluster, when Redis cannot be asked its version the first time
     */
    public String publishCommand() {
      return hub.publishCommand();
    }

    /**
     * Whether the hub uses sharded pub/sub.
     *
     * @return see {@link RedisSubscriptions#isSharded()}
     * @throws BackendUnavailableException on Redis Cluster, when Redis cannot be asked its version the first time
     */
    public boolean isSharded() {
      return hub.isSharded();
    }

    /** The hub, for tests of this package. */
    RedisSubscriptions hub() {
      return hub;
    }

    /**
     * Closes every subscription made through this share, then releases it: the last share of a
     * {@linkplain RedisSubscriptions#shared(RedisBackend, Scheduler, Clock) shared} hub closes the hub. Sends at
     * most one unsubscribe command, for the channels no other subscription uses, and waits for no answer.
     * Idempotent.
     */
    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      for (Subscription subscription : subscriptions) {
        subscription.close();
      }
      release.run();
    }

    private void checkOpen() {
      if (closed.get()) {
        throw new IllegalStateException("This share of RedisSubscriptions " + hub.name + " is closed");
      }
    }

    @Override
    public String toString() {
      return "RedisSubscriptions.Share[" + hub.name + ", " + subscriptions.size() + " subscriptions"
          + (closed.get() ? ", closed" : "") + "]";
    }

    /** A subscription that leaves its share's set when closed. */
    private final class Tracked implements Subscription {
      private final Subscription delegate;

      Tracked(Subscription delegate) {
        this.delegate = delegate;
      }

      @Override
      public String channel() {
        return delegate.channel();
      }

      @Override
      public boolean isLive() {
        return delegate.isLive();
      }

      @Override
      public void close() {
        delegate.close();
        subscriptions.remove(this);
      }

      @Override
      public String toString() {
        return delegate.toString();
      }
    }
  }

  // ---- the state machine ----

  private static final Object PLAIN = "plain";

  private enum LinkState {
    /** No connection. */
    IDLE,
    /** A reader is connecting and subscribing to its first channels. */
    STARTING,
    /** Subscribed: new channels are subscribed at once on the open connection. */
    LIVE,
    /** The last channel is being unsubscribed; the reader ends when Redis confirms. */
    STOPPING
  }

  /** A channel with its subscribers. */
  private final class Channel {
    final String name;
    final byte[] bytes;
    final List<Handle> handles = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Guarded by lock. */
    @Nullable Link link;
    /** Messages reach subscribers. Written under lock. */
    volatile boolean live;
    /** Was live, then lost its connection: the next time it is live is a gap. Guarded by lock. */
    boolean interrupted;

    Channel(String name, byte[] bytes) {
      this.name = name;
      this.bytes = bytes;
    }
  }

  /** One subscriber's subscription. */
  private final class Handle implements Subscription {
    final Channel channel;
    final Subscriber subscriber;
    volatile boolean closed;

    Handle(Channel channel, Subscriber subscriber) {
      this.channel = channel;
      this.subscriber = subscriber;
    }

    @Override
    public String channel() {
      return channel.name;
    }

    @Override
    public boolean isLive() {
      return !closed && channel.live;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      lock.lock();
      try {
        channel.handles.remove(this);
        if (channel.handles.isEmpty() && channels.get(channel.name) == channel) {
          channels.remove(channel.name);
          channel.live = false;
          Link link = channel.link;
          if (link != null) {
            link.channels.remove(channel.name);
            link.reconcile();
          }
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public String toString() {
      return "Subscription[" + channel.name + (isLive() ? ", live" : "") + "]";
    }
  }

  /** One pub/sub connection and the channels it should carry. */
  private final class Link {
    final Object node;
    /** The channels this link should carry. Guarded by lock. */
    final Map<String, Channel> channels = new HashMap<>();
    /** Channels subscribed (or being subscribed) on the current connection. Guarded by lock. */
    final java.util.Set<String> requested = new java.util.HashSet<>();
    LinkState state = LinkState.IDLE;
    @Nullable PubSubReader reader;
    int attempt;
    Scheduler.@Nullable Task reconnect;

    Link(Object node) {
      this.node = node;
    }

    /** Brings the connection in line with the wanted channels. Under lock. */
    void reconcile() {
      switch (state) {
        case IDLE -> {
          if (!channels.isEmpty() && reconnect == null && !closed.get()) {
            start();
          }
        }
        case LIVE -> {
          List<String> toAdd = new ArrayList<>();
          for (String wanted : channels.keySet()) {
            if (!requested.contains(wanted)) {
              toAdd.add(wanted);
            }
          }
          List<String> toRemove = new ArrayList<>();
          for (String had : requested) {
            if (!channels.containsKey(had)) {
              toRemove.add(had);
            }
          }
          PubSubReader current = reader;
          if (current == null) {
            return;
          }
          try {
            if (!toAdd.isEmpty()) {
              current.subscribe(toAdd); // before removing, so the count never drops to zero by accident
              requested.addAll(toAdd);
            }
            if (!toRemove.isEmpty()) {
              if (toRemove.size() == requested.size()) {
                state = LinkState.STOPPING; // the reader ends once Redis confirms
              }
              current.unsubscribe(toRemove);
              toRemove.forEach(requested::remove);
            }
          } catch (JedisException e) {
            log.debug("Subscriptions {}: could not change the subscriptions of {}: {}", name, node, e.toString());
            current.disconnect();
          }
        }
        default -> { } // STARTING, STOPPING: reconciled when the state changes
      }
    }

    /** Starts a reader on a connection of its own. Under lock. */
    void start() {
      state = LinkState.STARTING;
      requested.clear();
      // sharded, the first command may only name channels of one slot: the rest follow once live
      boolean oneSlot = isShardedCached();
      int slot = Topology.slot(channels.values().iterator().next().bytes);
      List<byte[]> snapshot = new ArrayList<>();
      for (Channel c : channels.values()) {
        if (!oneSlot || Topology.slot(c.bytes) == slot) {
          snapshot.add(c.bytes);
          requested.add(c.name);
        }
      }
      PubSubReader next = new PubSubReader(client, isShardedCached(), new PubSubReader.Callbacks() {
        @Override
        public void subscribed(PubSubReader from, String channel) {
          onSubscribed(Link.this, from, channel);
        }

        @Override
        public void message(String channel, byte[] message) {
          onMessage(channel, message);
        }

        @Override
        public void pong(PubSubReader from) {
          from.pongAt(clock.nanoTime());
        }
      });
      reader = next;
      scheduler.executeBlocking("pubsub", () -> run(next, slot, snapshot));
    }

    private void run(PubSubReader current, int slot, List<byte[]> snapshot) {
      Throwable cause = null;
      try {
        backend.execute(jedis -> cluster ? pingSlot(jedis, slot) : jedis.ping()); // through the guard
        current.pongAt(clock.nanoTime());
        current.run(slot, snapshot);
      } catch (RuntimeException e) {
        cause = e;
      }
      ended(this, current, cause);
    }

    /** Ends the connection for good (hub closing). Under lock. */
    void shutDown() {
      Scheduler.Task pending = reconnect;
      if (pending != null) {
        pending.cancel();
        reconnect = null;
      }
      PubSubReader current = reader;
      if (current != null) {
        current.disconnect();
      }
    }
  }

  private static String pingSlot(UnifiedJedis jedis, int slot) {
    try (Connection connection = Topology.connectionForSlot(jedis, slot)) {
      connection.ping();
      return "PONG";
    }
  }

  private boolean isShardedCached() {
    Boolean result = sharded;
    return result != null && result;
  }

  /** Redis confirmed a subscription on a link's connection: the channel is live. On the reader thread. */
  private void onSubscribed(Link link, PubSubReader from, String channelName) {
    Channel toNotify = null;
    boolean gap = false;
    lock.lock();
    try {
      if (link.reader != from) {
        return;
      }
      if (link.state == LinkState.STARTING) {
        link.state = LinkState.LIVE;
        link.attempt = 0;
      }
      Channel c = channels.get(channelName);
      if (c != null && c.link == link && !c.live && link.state == LinkState.LIVE) {
        c.live = true;
        gap = c.interrupted;
        c.interrupted = false;
        toNotify = c;
      }
      link.reconcile();
    } finally {
      lock.unlock();
    }
    if (toNotify != null) {
      if (gap) {
        gaps.increment();
        Listeners.notify(listener, "onMissedMessages", l -> l.onMissedMessages(name, channelName));
      }
      for (Handle handle : toNotify.handles) {
        Listeners.notify(handle.subscriber, "onMissedMessages", s -> s.onMissedMessages(channelName));
      }
    }
  }

  private void onMessage(String channelName, byte[] message) {
    messages.increment();
    Channel c = channels.get(channelName);
    if (c == null || !c.live) {
      return;
    }
    for (Handle handle : c.handles) {
      Listeners.notify(handle.subscriber, "onMessage", s -> s.onMessage(channelName, message));
    }
  }

  /** A link's reader ended, normally or not. On the reader thread. */
  private void ended(Link link, PubSubReader from, @Nullable Throwable cause) {
    List<Channel> interrupted = new ArrayList<>();
    lock.lock();
    try {
      if (link.reader != from) {
        return;
      }
      boolean stopping = link.state == LinkState.STOPPING;
      link.reader = null;
      link.state = LinkState.IDLE;
      link.requested.clear();
      for (Channel c : link.channels.values()) {
        if (c.live) {
          c.live = false;
          c.interrupted = true;
          interrupted.add(c);
        }
      }
      if (closed.get()) {
        return;
      }
      if (stopping && cause == null && interrupted.isEmpty()) {
        link.reconcile(); // channels added while stopping start a new connection now
        return;
      }
      reconnects.increment();
      long delay = backoff.delayNanos(++link.attempt);
      log.debug("Subscriptions {}: connection to {} ended ({}); reconnecting in {} ms", name, link.node,
          cause == null ? "Redis ended the subscriptions" : cause.toString(), delay / 1_000_000);
      link.reconnect = scheduler.schedule(() -> reconnect(link), delay, java.util.concurrent.TimeUnit.NANOSECONDS);
    } finally {
      lock.unlock();
    }
    for (Channel c : interrupted) {
      for (Handle handle : c.handles) {
        Listeners.notify(handle.subscriber, "onInterrupted", s -> s.onInterrupted(c.name));
      }
    }
  }

  /**
   * After a backoff: on Cluster re-read the slot map (sharded channels may live elsewhere now: re-home them),
   * then connect.
   */
  private void reconnect(Link link) {
    Map<String, Object> homes = new HashMap<>();
    if (cluster) {
      List<Channel> mine;
      lock.lock();
      try {
        mine = new ArrayList<>(link.channels.values());
      } finally {
        lock.unlock();
      }
      try {
        backend.execute(jedis -> {
          Topology.refresh(jedis); // after a failover the client's slot map still names the dead master
          return null;
        });
        for (Channel c : isShardedCached() ? mine : List.<Channel>of()) {
          homes.put(c.name, masterOf(Topology.slot(c.bytes)));
        }
      } catch (RuntimeException e) {
        log.debug("Subscriptions {}: cannot read the slot map yet: {}", name, e.toString());
        homes.clear(); // keep them where they are; the connection attempt will fail and back off
      }
    }
    lock.lock();
    try {
      link.reconnect = null;
      if (closed.get() || link.state != LinkState.IDLE) {
        return;
      }
      homes.forEach((channelName, home) -> {
        Channel c = link.channels.get(channelName);
        if (c != null && !home.equals(link.node)) {
          link.channels.remove(channelName);
          Link target = links.computeIfAbsent(home, Link::new);
          c.link = target;
          target.channels.put(channelName, c);
          target.reconcile();
        }
      });
      link.reconcile();
    } finally {
      lock.unlock();
    }
  }

  /** Every keep-alive interval: ping each live connection; drop one that did not answer the last ping. */
  private void keepAlive() {
    long now = clock.nanoTime();
    lock.lock();
    try {
      for (Link link : links.values()) {
        PubSubReader current = link.reader;
        if (link.state != LinkState.LIVE || current == null) {
          continue;
        }
        if (current.pingOutstandingSince(now, keepAliveNanos)) {
          log.debug("Subscriptions {}: no answer from {} within {} ms; dropping the connection", name, link.node,
              keepAliveNanos / 1_000_000);
          current.disconnect();
        } else if (!link.requested.isEmpty()) {
          try {
            current.ping(now, link.requested.iterator().next());
          } catch (JedisException e) {
            current.disconnect();
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Configures {@link RedisSubscriptions}: readers, reconnects and keep-alives run on the scheduler, the clock
   * times keep-alives, the listener hears channels that may have missed messages
   * ({@link BackendListener#onMissedMessages}). Not thread-safe.
   */
  public static final class Builder extends SessionBuilder<Builder> {
    private final RedisBackend backend;
    private Backoff backoff = DEFAULT_RECONNECT_BACKOFF;
    private long keepAliveNanos = DEFAULT_KEEP_ALIVE.toNanos();
    private Sharding sharding = Sharding.AUTO;
    private String name = "redis";

    private Builder(RedisBackend backend) {
      this.backend = backend;
    }



    /**
     * The delays between reconnect attempts.
     *
     * @param backoff default {@link #DEFAULT_RECONNECT_BACKOFF}
     * @return this builder
     */
    public Builder reconnectBackoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * How often each connection is pinged; one that has not answered the previous ping by the next is dropped
     * and reconnected, so a half-open connection (a dead peer, a black hole) costs at most two intervals.
     *
     * @param interval positive; default {@link #DEFAULT_KEEP_ALIVE} (5 s)
     * @return this builder
     */
    public Builder keepAlive(Duration interval) {
      this.keepAliveNanos = Require.positiveNanos(interval, "keepAlive");
      return this;
    }

    /**
     * Whether to use sharded pub/sub on Redis Cluster 7+. Every JVM on the same Redis must choose alike.
     *
     * @param sharding default {@link Sharding#AUTO}
     * @return this builder
     */
    public Builder sharding(Sharding sharding) {
      this.sharding = Objects.requireNonNull(sharding, "sharding");
      return this;
    }

    /**
     * The hub's name in logs and events.
     *
     * @param name no credentials; default {@code "redis"}
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Require.nonBlank(name, "name");
      return this;
    }


    /**
     * Creates the hub. It connects on the first subscription.
     *
     * @return the hub
     */
    public RedisSubscriptions build() {
      return new RedisSubscriptions(this);
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
