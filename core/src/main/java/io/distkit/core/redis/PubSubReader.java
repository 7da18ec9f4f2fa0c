package io.distkit.core.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.BinaryJedisShardedPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Pool;

/**
 * One pub/sub connection of {@link RedisSubscriptions}: plain ({@code SUBSCRIBE}) or sharded
 * ({@code SSUBSCRIBE}), read by one blocking thread, which can be dropped from another thread.
 *
 * <p>Its keep-alive is a repeated subscription to a channel it already has: Redis confirms it without
 * changing anything, on both kinds of connection (the sharded one cannot take a {@code PING}).
 */
final class PubSubReader {

  private static final Logger log = LoggerFactory.getLogger(PubSubReader.class);

  /** What the reader reports, on its own thread. */
  interface Callbacks {
    void subscribed(PubSubReader from, String channel);

    void message(String channel, byte[] message);

    void pong(PubSubReader from);
  }

  private static final long NO_PING = Long.MIN_VALUE;

  private final UnifiedJedis client;
  private final boolean sharded;
  private final Callbacks callbacks;
  private final BinaryJedisPubSub plain;
  private final BinaryJedisShardedPubSub shard;
  /**
   * The connection this reader holds, while it holds it. Cleared and dropped under {@link #owning}: once the reader
   * has given the connection back to the client's pool, another user may hold it, and dropping it then would make
   * Jedis reconnect it silently, without its client name, password or database (a subscription of another hub once
   * ran on such a connection, nameless, in a test).
   */
  private volatile @Nullable Connection connection;
  private final ReentrantLock owning = new ReentrantLock();
  /** For tests: runs in {@link #disconnect()} between finding the connection and dropping it. */
  volatile @Nullable Runnable beforeDrop;
  private volatile boolean disconnectRequested;
  private volatile long pingSentNanos = NO_PING;

  PubSubReader(UnifiedJedis client, boolean sharded, Callbacks callbacks) {
    this.client = client;
    this.sharded = sharded;
    this.callbacks = callbacks;
    this.plain = new BinaryJedisPubSub() {
      @Override
      public void onSubscribe(byte[] channel, int subscribedChannels) {
        confirmed(channel);
      }

      @Override
      public void onMessage(byte[] channel, byte[] message) {
        callbacks.message(text(channel), message);
      }
    };
    this.shard = new BinaryJedisShardedPubSub() {
      @Override
      public void onSSubscribe(byte[] channel, int subscribedChannels) {
        confirmed(channel);
      }

      @Override
      public void onSMessage(byte[] channel, byte[] message) {
        callbacks.message(text(channel), message);
      }
    };
  }

  private void confirmed(byte[] channel) {
    callbacks.pong(this);
    callbacks.subscribed(this, text(channel));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Connects, subscribes and reads until the subscriptions end or the connection fails. Blocks. Sharded, the
   * initial channels must share one hash slot (the others follow with {@link #subscribe(List)}).
   */
  void run(int slot, List<byte[]> channels) {
    byte[][] initial = channels.toArray(new byte[0][]);
    Connection owned = acquire(slot);
    if (owned == null) {
      client.subscribe(plain, initial); // a client whose connections we cannot reach: no forced disconnect
      return;
    }
    connection = owned;
    try {
      if (disconnectRequested) {
        return;
      }
      if (sharded) {
        shard.proceed(owned, initial);
      } else {
        plain.proceed(owned, initial);
      }
    } finally {
      // under the lock: a disconnect() racing this end either drops the connection before it goes back to the
      // pool (broken: the pool discards it), or finds no connection; never one the pool may lend to someone else
      owning.lock();
      try {
        connection = null;
      } finally {
        owning.unlock();
      }
      owned.close(); // back to the pool, or discarded there when broken
    }
  }

  private @Nullable Connection acquire(int slot) {
    if (Topology.isCluster(client)) {
      return Topology.connectionForSlot(client, slot);
    }
    if (client instanceof RedisClient standalone) {
      return standalone.getPool().getResource();
    }
    if (client instanceof RedisSentinelClient sentinel) {
      Map<?, Pool<Connection>> pools = sentinel.getPrimaryNodesConnectionMap();
      if (pools.size() == 1) {
        return pools.values().iterator().next().getResource();
      }
    }
    return null;
  }

  /** Subscribes to more channels; sharded, one command per hash slot (Redis refuses channels of several). */
  void subscribe(List<String> channels) {
    for (byte[][] names : commands(channels)) {
      if (sharded) {
        shard.ssubscribe(names);
      } else {
        plain.subscribe(names);
      }
    }
  }

  /** Unsubscribes from channels; sharded, one command per hash slot. */
  void unsubscribe(List<String> channels) {
    for (byte[][] names : commands(channels)) {
      if (sharded) {
        shard.sunsubscribe(names);
      } else {
        plain.unsubscribe(names);
      }
    }
  }

  /** The channels' names, in one command, or one per hash slot when sharded. */
  private Collection<byte[][]> commands(List<String> channels) {
    Map<Integer, List<byte[]>> bySlot = new LinkedHashMap<>();
    for (String channel : channels) {
      byte[] name = channel.getBytes(StandardCharsets.UTF_8);
      bySlot.computeIfAbsent(sharded ? Topology.slot(name) : 0, s -> new ArrayList<>()).add(name);
    }
    List<byte[][]> commands = new ArrayList<>(bySlot.size());
    for (List<byte[]> names : bySlot.values()) {
      commands.add(names.toArray(new byte[0][]));
    }
    return commands;
  }

  /** Sends a keep-alive (a repeated subscription to {@code channel}) unless one is outstanding. */
  void ping(long nowNanos, String channel) {
    if (pingSentNanos == NO_PING) {
      pingSentNanos = nowNanos;
      subscribe(List.of(channel));
    }
  }

  void pongAt(long nowNanos) {
    pingSentNanos = NO_PING;
  }

  /** Whether a keep-alive has waited {@code intervalNanos} or longer for its answer. */
  boolean pingOutstandingSince(long nowNanos, long intervalNanos) {
    long sent = pingSentNanos;
    return sent != NO_PING && nowNanos - sent >= intervalNanos;
  }

  /** Drops the connection (the reader then ends with an error), or asks Redis to end the subscriptions. */
  void disconnect() {
    disconnectRequested = true;
    owning.lock();
    try {
      Connection current = connection;
      if (current != null) {
        Runnable hook = beforeDrop;
        if (hook != null) {
          hook.run();
        }
        try {
          current.forceDisconnect();
        } catch (IOException | RuntimeException e) {
          current.setBroken();
        }
        return;
      }
    } finally {
      owning.unlock();
    }
    if (!sharded && plain.isSubscribed()) {
      try {
        plain.unsubscribe();
      } catch (RuntimeException e) {
        // the connection broke first (its client was closed, Redis went away): the reader ends either way
        log.debug("Could not unsubscribe on a broken connection: {}", e.toString());
      }
    }
  }
}
