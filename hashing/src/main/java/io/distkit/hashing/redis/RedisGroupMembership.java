package io.distkit.hashing.redis;

import io.distkit.core.Clock;
import io.distkit.core.codec.Codec;
import io.distkit.core.codec.VersionedCodec;
import io.distkit.core.redis.LuaPrelude;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisScript;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.session.Subscriber;
import io.distkit.hashing.Node;
import io.distkit.hashing.internal.AbstractMembership;
import io.distkit.hashing.internal.MembershipSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RedisMembership}: the group in Redis, one script per operation, changes heard through the client's
 * {@link io.distkit.core.redis.RedisSubscriptions}.
 */
final class RedisGroupMembership<N extends Node> extends AbstractMembership<N> {

  private static final Logger log = LoggerFactory.getLogger(RedisGroupMembership.class);

  /** The format of a stored node: its codec's bytes behind this version byte. */
  static final int NODE_FORMAT = 1;

  private static final RedisScript SCRIPT = RedisScript.fromResources(List.of(LuaPrelude.LEASES, LuaPrelude.FENCING),
      RedisGroupMembership.class, "membership.lua");
  private static final byte[] HEARTBEAT = bytes("heartbeat");
  private static final byte[] READ = bytes("read");
  private static final byte[] LEAVE = bytes("leave");
  private static final byte[] NONE = new byte[0];

  private final RedisBackend backend;
  private final String group;
  private final VersionedCodec<N> codec;
  private final RedisTime time;
  private final RedisSubscriptions.Share pubsub;
  private final List<byte[]> keys;
  private final String channel;
  private final byte[] channelBytes;
  private final byte[] keyTtlMillis;
  private final byte[] leaseMicros;

  RedisGroupMembership(MembershipSettings<N> settings, RedisBackend backend, RedisKeys redisKeys, String group,
      Codec<N> codec, RedisTime time, Clock clock, RedisSubscriptions.Share pubsub) {
    super(settings, clock, "redis:" + group);
    this.backend = backend;
    this.group = group;
    this.codec = VersionedCodec.of(NODE_FORMAT, codec);
    this.time = time;
    this.pubsub = pubsub;
    String stem = redisKeys.taggedName(group);
    this.keys = List.of(bytes(stem + ":members"), bytes(stem + ":leases"), bytes(stem + ":joined"),
        bytes(stem + ":meta"), bytes(stem + ":departed"), bytes(stem + ":version"));
    this.channel = stem + ":events";
    this.channelBytes = bytes(channel);
    long ttl = 3 * Math.max(settings.lease().toMillis(), settings.pollInterval().toMillis());
    this.keyTtlMillis = bytes(Long.toString(ttl));
    this.leaseMicros = bytes(Long.toString(settings.lease().toNanos() / 1000));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Object run(byte[] op, byte[]... more) {
    List<byte[]> args = new ArrayList<>(5 + more.length);
    args.add(op);
    args.add(time.argument());
    args.add(channelBytes);
    args.add(bytes(pubsub.publishCommand()));
    args.add(keyTtlMillis);
    args.addAll(List.of(more));
    return backend.eval(SCRIPT, keys, args);
  }

  @Override
  protected Heartbeat heartbeat(N self, long position) {
    List<?> reply = (List<?>) run(HEARTBEAT, bytes(self.nodeId()), codec.encode(self), leaseMicros,
        position == NO_POSITION ? NONE : bytes(Long.toString(position)));
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
    pubsub.subscribe(channel, new Subscriber() {
      @Override
      public void onMessage(String from, byte[] message) {
        if (!new String(message, StandardCharsets.US_ASCII).equals(Long.toString(view().version()))) {
          requestRefresh();
        }
      }

      @Override
      public void onMissedMessages(String from) {
        // live for the first time, or again after an interruption: what was announced meanwhile is lost
        requestRefresh();
      }
    });
  }

  @Override
  protected void stopListening() {
    pubsub.close(); // ends the subscription; the last share of a shared hub closes it
  }
}
