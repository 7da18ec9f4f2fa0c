package io.distkit.cache.redis;

import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisFencing;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.Subscriber;
import io.distkit.core.session.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's epoch, which {@code invalidateAll} advances: one key per cache ({@code <prefix>:cache:{<name>}:epoch},
 * core's fencing token format: {@code max(last + 1, now in µs)}, kept {@link #KEY_TTL}), known in each JVM and
 * kept up to date by a message on the cache's channel after each advance, a re-read when messages may have been
 * missed, and a re-read every check interval. Entries written in an earlier epoch than the one known read as
 * misses.
 *
 * <p>Why the key may expire: every entry's time to live is at most {@link RedisCache#MAX_TTL}, shorter than the
 * key's, so once the key has gone every entry written before its last advance has gone too, and an epoch of 0
 * drops nothing that should be dropped.
 */
final class CacheEpochs implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CacheEpochs.class);

  /** How long the epoch key is kept after an advance: longer than any entry lives. */
  static final Duration KEY_TTL = RedisCache.MAX_TTL.plusDays(1);

  /** Core's fencing-token format, which the epoch key is in: a version byte (1), then the decimal number. */
  private static final Codec<Long> FORMAT = Codec.utf8().versioned(1).as(Long::parseLong, String::valueOf);

  private final RedisBackend backend;
  private final String key;
  private final byte[] keyBytes;
  private final String channel;
  private final RedisFencing fencing;
  private final RedisSubscriptions.Share pubsub;
  private final Subscription subscription;
  private final Scheduler.Task checks;
  private final AtomicLong known = new AtomicLong();
  private volatile Runnable onAdvance = () -> { };

  CacheEpochs(RedisBackend backend, String key, String channel, RedisTime time, RedisSubscriptions.Share pubsub,
      Scheduler scheduler, Duration checkInterval) {
    this.backend = backend;
    this.key = key;
    this.keyBytes = key.getBytes(StandardCharsets.UTF_8);
    this.channel = channel;
    this.fencing = RedisFencing.create(backend, time, KEY_TTL);
    this.pubsub = pubsub;
    this.subscription = pubsub.subscribe(channel, new Subscriber() {
      @Override
      public void onMessage(String from, byte[] message) {
        try {
          advanceTo(Long.parseLong(new String(message, StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
          log.debug("Ignored a message on {} that is not an epoch; reading the epoch instead", from);
          scheduler.execute(CacheEpochs.this::refreshQuietly);
        }
      }

      @Override
      public void onMissedMessages(String from) {
        scheduler.execute(CacheEpochs.this::refreshQuietly);
      }
    });
    refreshQuietly();
    this.checks = scheduler.scheduleWithFixedDelay(this::refreshQuietly, checkInterval, checkInterval);
  }

  /** The newest epoch this JVM knows. */
  long known() {
    return known.get();
  }

  /**
   * Runs {@code action} each time this JVM learns a newer epoch (a near cache drops its copies then).
   *
   * @param action what to run, on the thread that learnt it
   */
  void whenAdvanced(Runnable action) {
    this.onAdvance = action;
  }

  private void advanceTo(long epoch) {
    if (epoch > known.getAndAccumulate(epoch, Math::max)) {
      onAdvance.run();
    }
  }

  /** Reads the epoch from Redis. */
  void refresh() {
    byte @Nullable [] raw = backend.execute(jedis -> jedis.get(keyBytes));
    if (raw != null) {
      advanceTo(FORMAT.decode(raw));
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.debug("Could not read the epoch of {}; the next check reads it again: {}", key, e.toString());
    }
  }

  /** Advances the epoch in Redis and tells the other JVMs: what {@code invalidateAll} does. */
  long advance() {
    long epoch = fencing.next(key).value();
    advanceTo(epoch);
    try {
      pubsub.publish(channel, Long.toString(epoch).getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      // the other JVMs read the epoch at their next check
      log.debug("Could not announce the new epoch of {}: {}", key, e.toString());
    }
    return epoch;
  }

  boolean listening() {
    return subscription.isLive();
  }

  @Override
  public void close() {
    checks.cancel();
    subscription.close();
    pubsub.close();
  }
}
