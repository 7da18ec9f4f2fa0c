package io.distkit.hashing.redis;

import io.distkit.core.Clock;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisScript;
import io.distkit.core.redis.TimeSource;
import io.distkit.hashing.Node;
import io.distkit.hashing.internal.AbstractMembership;
import io.distkit.hashing.internal.AbstractMembership.Heartbeat;
import io.distkit.hashing.internal.MembershipSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/** {@link RedisMembership}: the group in Redis, one script per operation, changes heard by pub/sub. */
final class RedisGroupMembership<N extends Node> extends AbstractMembership<N> {

  private static final Logger log = LoggerFactory.getLogger(RedisGroupMembership.class);

  private static final RedisScript SCRIPT = RedisScript.fromResource(RedisGroupMembership.class, "membership.lua");
  private static final byte[] HEARTBEAT = bytes("heartbeat");
  private static final byte[] READ = bytes("read");
  private static final byte[] LEAVE = bytes("leave");
  private static final byte[] SERVER_TIME = new byte[0];

  private final RedisBackend backend;
  private final String group;
  private final Codec<N> codec;
  private final TimeSource timeSource;
  private final Clock clock;
  private final List<byte[]> keys;
  private final String channel;
  private final byte[] channelBytes;
  private final byte[] keyTtlMillis;
  private final ExecutorService subscriber;
  private volatile @Nullable JedisPubSub subscription;

  RedisGroupMembership(MembershipSettings<N> settings, RedisBackend backend, RedisKeys redisKeys, String group,
      Codec<N> codec, TimeSource timeSource, Clock clock) {
    super(settings, clock, "redis:" + group);
    this.backend = backend;
    this.group = group;
    this.codec = codec;
    this.timeSource = timeSource;
    this.clock = clock;
    String stem = redisKeys.taggedName(group);
    this.keys = List.of(bytes(stem + ":members"), bytes(stem + ":leases"), bytes(stem + ":joined"),
        bytes(stem + ":meta"), bytes(stem + ":departed"));
    this.channel = stem + ":events";
    this.channelBytes = bytes(channel);
    long ttl = 3 * Math.max(settings.lease().toMillis(), settings.pollInterval().toMillis());
    this.keyTtlMillis = bytes(Long.toString(ttl));
    this.subscriber = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "distkit-membership-pubsub-" + group);
      thread.setDaemon(true);
      return thread;
    });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] now() {
    return timeSource == TimeSource.SERVER ? SERVER_TIME : bytes(Long.toString(clock.epochMillis()));
  }

  private Object run(byte[] op, byte[]... more) {
    List<byte[]> args = new ArrayList<>(4 + more.length);
    args.add(op);
    args.add(now());
    args.add(channelBytes);
    args.add(keyTtlMillis);
    args.addAll(List.of(more));
    return backend.eval(SCRIPT, keys, args);
  }

  @Override
  protected Heartbeat heartbeat(N self, long position) {
    List<?> reply = (List<?>) run(HEARTBEAT, bytes(self.nodeId()), codec.encode(self),
        bytes(Long.toString(settings.lease().toMillis())),
        position == NO_POSITION ? new byte[0] : bytes(Long.toString(position)));
    return new Heartbeat((Long) reply.get(0), (Long) reply.get(1), (Long) reply.get(2) == 1);
  }

  @Override
  protected Snapshot<N> read() {
    List<?> reply = (List<?>) run(READ);
    long version = (Long) reply.get(0);
    List<N> members = new ArrayList<>(reply.size() / 2);
    for (int i = 1; i + 1 < reply.size(); i += 2) {
      String id = new String((byte[]) reply.get(i), StandardCharsets.UTF_8);
      N node;
      try {
        node = codec.decode((byte[]) reply.get(i + 1));
      } catch (RuntimeException e) {
        // every observer decodes the same bytes, so every observer skips the same member
        log.warn("Membership redis:{}: skipping member '{}', whose data does not decode: {}", group, id,
            e.getMessage());
        continue;
      }
      if (!node.nodeId().equals(id)) {
        log.warn("Membership redis:{}: skipping member '{}', whose data decodes to node id '{}'", group, id,
            node.nodeId());
        continue;
      }
      members.add(node);
    }
    return new Snapshot<>(version, members);
  }

  @Override
  protected void leave(N self) {
    run(LEAVE, bytes(self.nodeId()));
  }

  @Override
  protected void startListening() {
    subscriber.execute(this::subscribe);
  }

  /** Blocks on the subscription until it ends; then, unless closed, tries again after one poll interval. */
  private void subscribe() {
    if (isClosed()) {
      return;
    }
    JedisPubSub pubSub = new JedisPubSub() {
      @Override
      public void onSubscribe(String subscribed, int subscribedChannels) {
        if (isClosed()) {
          unsubscribe();
          return;
        }
        // anything announced while we were not subscribed was missed: read now
        requestRefresh();
      }

      @Override
      public void onMessage(String from, String version) {
        if (!version.equals(Long.toString(view().version()))) {
          requestRefresh();
        }
      }
    };
    subscription = pubSub;
    try {
      // the one call that bypasses RedisBackend: a subscription holds its connection for as long as it lasts
      backend.jedis().subscribe(pubSub, channel);
    } catch (RuntimeException e) {
      log.debug("Membership redis:{}: subscription to {} ended: {}", group, channel, e.toString());
    }
    if (!isClosed()) {
      schedule(() -> subscriber.execute(this::subscribe), settings.pollInterval());
    }
  }

  @Override
  protected void stopListening() {
    JedisPubSub pubSub = subscription;
    if (pubSub != null && pubSub.isSubscribed()) {
      try {
        pubSub.unsubscribe();
      } catch (RuntimeException e) {
        log.debug("Membership redis:{}: unsubscribing failed: {}", group, e.toString());
      }
    }
    subscriber.shutdown();
  }
}
