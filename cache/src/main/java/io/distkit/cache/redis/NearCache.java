package io.distkit.cache.redis;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.distkit.cache.Cache;
import io.distkit.cache.CacheListener;
import io.distkit.cache.CacheLoader;
import io.distkit.cache.CacheStats;
import io.distkit.cache.internal.ExpiringEntries;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.Clock;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.PerThreadCounts;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.Subscriber;
import io.distkit.core.session.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RedisCache}'s near cache: a copy in this JVM (L1, Caffeine) over the Redis cache (L2), kept coherent by
 * invalidation messages. See {@link RedisCache.Builder#near} for the guarantees; how they are kept:
 *
 * <ul>
 *   <li>Every write or invalidation through any near cache of the name publishes the key on the cache's
 *       near channel, with the writer's source id and its next sequence number. A receiver drops its copy of the
 *       key (and voids any fill of it under way); a receiver that sees a source's sequence jump drops every copy.
 *   <li>A fill (an L1 miss read from L2 or loaded) takes a reservation first and installs its value only if no
 *       invalidation of the key arrived meanwhile: a fill never installs a value older than an invalidation it
 *       raced.
 *   <li>While the subscription is not live, L1 is bypassed (reads go to Redis); when it is live again (core
 *       reports that messages may have been missed) every copy is dropped.
 *   <li>Every reconciliation interval each source writes its last sequence to a hash in Redis and every receiver
 *       reads the hash: a source whose sequence is past the last one received means messages were lost, and every
 *       copy is dropped.
 *   <li>An {@code invalidateAll} anywhere (the epoch advancing) drops every copy.
 * </ul>
 */
final class NearCache<K, V> implements Cache<K, V> {

  private static final Logger log = LoggerFactory.getLogger(NearCache.class);
  private static final int MESSAGE_FORMAT = 1;
  /** A source silent this long is forgotten (and the hash of sources kept this long after its last write). */
  private static final long SOURCE_IDLE_MILLIS = TimeUnit.DAYS.toMillis(1);
  /** How often a source records its sequence even when it has not changed, to show it is alive. */
  private static final long RECORD_REFRESH_MILLIS = TimeUnit.HOURS.toMillis(1);

  /**
   * A copy: the answer to give (a value, or empty for a remembered absence, built once so that a hit allocates
   * nothing), until a deadline on the clock's nanoTime.
   */
  private record Copy<V>(Optional<V> answer, long deadlineNanos) implements ExpiringEntries.Expiring {
    Copy(@Nullable V value, long deadlineNanos) {
      this(Optional.ofNullable(value), deadlineNanos);
    }

    @Nullable V value() {
      return answer.orElse(null);
    }
  }

  private final RedisBackedCache<K, V> l2;
  private final Function<? super K, String> keyText;
  private final boolean rememberAbsence;
  private final Clock clock;
  private final long nearTtlNanos;
  private final ExpiringEntries<String, Copy<V>> l1;
  /** Fills under way, by key text: a fill installs only if its token is still here. */
  private final Map<String, Object> fills = new ConcurrentHashMap<>();
  private final String source = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  private final RedisBackend backend;
  private final RedisSubscriptions.Share pubsub;
  private final String channel;
  private final byte[] sourcesKey;
  private final Subscription subscription;
  private final Scheduler.Task reconciliation;
  private final ReentrantLock publishing = new ReentrantLock();
  /** Guarded by {@link #publishing}. */
  private volatile long sequence;
  private volatile long sequenceInRedis;
  private volatile long recordedAtMillis;
  /** The last sequence received from each other source. */
  private final Map<String, Long> received = new ConcurrentHashMap<>();
  /** Hits on copies, counted per thread (a hit costs a plain increment). */
  private final PerThreadCounts nearHits = new PerThreadCounts(1);
  private final LongAdder flushes = new LongAdder();
  private final LongAdder invalidationsReceived = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  /** Whether reads that cannot reach Redis answer from copies ({@code FALLBACK_TO_LOCAL}). */
  private final boolean copiesWhenDown;
  private final CacheListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();
  /**
   * Whether the copies can be trusted: set by the subscription's {@code onMissedMessages} after it dropped every copy,
   * cleared by {@code onInterrupted}.
   */
  private volatile boolean trusted;

  NearCache(RedisBackedCache<K, V> l2, Function<? super K, String> keyText, boolean rememberAbsence,
      boolean copiesWhenDown, long maximumSize, Duration nearTtl,
      Clock clock, RedisBackend backend, RedisSubscriptions.Share pubsub, String channel, String sourcesKey,
      Scheduler scheduler, Duration reconcileInterval, CacheEpochs epochs, CacheListener listener) {
    this.listener = listener;
    this.l2 = l2;
    this.keyText = keyText;
    this.rememberAbsence = rememberAbsence;
    this.copiesWhenDown = copiesWhenDown;
    this.clock = clock;
    this.nearTtlNanos = nearTtl.toNanos();
    // no expiry in Caffeine: ExpiringEntries checks each copy's deadline (see there why)
    this.l1 = new ExpiringEntries<>(clock,
        Caffeine.newBuilder().executor(Runnable::run).maximumSize(maximumSize).<String, Copy<V>>build());
    this.backend = backend;
    this.pubsub = pubsub;
    this.channel = channel;
    this.sourcesKey = sourcesKey.getBytes(StandardCharsets.UTF_8);
    epochs.whenAdvanced(() -> dropEveryCopy(CacheListener.DropReason.INVALIDATE_ALL));
    readSourcesQuietly(true);
    this.subscription = pubsub.subscribe(channel, new Subscriber() {
      @Override
      public void onMessage(String from, byte[] message) {
        received(message);
      }

      @Override
      public void onMissedMessages(String from) {
        dropEveryCopy(CacheListener.DropReason.SUBSCRIPTION_RESUMED);
        trusted = true;
      }

      @Override
      public void onInterrupted(String from) {
        trusted = false;
      }
    });
    this.reconciliation = scheduler.scheduleWithFixedDelay(this::reconcile, reconcileInterval, reconcileInterval);
  }

  @Override
  public String name() {
    return l2.name();
  }

  private String textOf(K key) {
    return Objects.requireNonNull(keyText.apply(Objects.requireNonNull(key, "key")), "keyText(key)");
  }

  /** The copy of {@code text}, counted as a hit, if copies may be used now and there is one. */
  private @Nullable Copy<V> usableCopy(String text) {
    if (!nearUsable()) {
      return null;
    }
    Copy<V> copy = l1.get(text);
    if (copy != null) {
      nearHits.increment(0);
    }
    return copy;
  }

  /**
   * Whether L1 may be used: only while every invalidation is being heard, and only once the copies that may have
   * missed one were dropped. The subscription turns live a moment before it calls {@code onMissedMessages}: copies
   * made before an interruption must not be read in that moment (a two-process test once read three stale copies
   * there), hence {@link #trusted}, which only that call sets.
   */
  private boolean nearUsable() {
    return trusted && subscription.isLive();
  }

  @Override
  public Optional<V> getIfPresent(K key) {
    checkOpen();
    String text = textOf(key);
    Copy<V> copy = usableCopy(text);
    if (copy != null) {
      return copy.answer();
    }
    Object token = reserve(text);
    long sent = clock.nanoTime();
    RedisBackedCache.TimedRead<V> read = readReserved(key, text, token);
    if (read == null) {
      Copy<V> stale = staleCopy(text);
      return stale == null ? Optional.empty() : stale.answer();
    }
    installOrEnd(text, token, read.hit(), read.value(), sent, read.ttlMillis());
    return Optional.ofNullable(read.value());
  }

  /**
   * Reads Redis for a key whose fill is reserved under {@code token}. When Redis cannot be reached, the fill ends;
   * with {@code FALLBACK_TO_LOCAL} the answer is null (the caller answers from a {@linkplain #staleCopy stale copy}),
   * otherwise the failure is thrown.
   */
  private RedisBackedCache.@Nullable TimedRead<V> readReserved(K key, String text, Object token) {
    try {
      return l2.readWithTtl(key);
    } catch (BackendUnavailableException e) {
      fills.remove(text, token);
      if (!copiesWhenDown) {
        throw e;
      }
      return null;
    }
  }

  /** Redis could not be reached: the copy, if there is one, counted as stale served. */
  private @Nullable Copy<V> staleCopy(String text) {
    Copy<V> copy = l1.get(text);
    if (copy != null) {
      staleServed.increment();
    }
    return copy;
  }

  @Override
  public Optional<V> get(K key, CacheLoader<? super K, ? extends V> loader) {
    checkOpen();
    String text = textOf(key);
    Copy<V> copy = usableCopy(text);
    if (copy != null) {
      return copy.answer();
    }
    Object token = reserve(text);
    long sent = clock.nanoTime();
    RedisBackedCache.TimedRead<V> read = readReserved(key, text, token);
    if (read == null) {
      Copy<V> stale = staleCopy(text);
      // no copy: the source answers, uncached
      return stale != null ? stale.answer() : Optional.ofNullable(l2.loadUncached(key, loader));
    }
    if (read.hit()) {
      installOrEnd(text, token, true, read.value(), sent, read.ttlMillis());
      return Optional.ofNullable(read.value());
    }
    Optional<V> found = l2.loadAfterMiss(key, loader); // single flight in this JVM; fills Redis
    long ttlMillis = found.isPresent() ? l2.defaultTtlMillis() : l2.negativeTtlMillis();
    installOrEnd(text, token, found.isPresent() || rememberAbsence, found.orElse(null), sent, ttlMillis);
    return found;
  }

  /** Ends a fill: installs a copy of what was found (unless voided), for what is left of its entry's life. */
  private void installOrEnd(String text, Object token, boolean hit, @Nullable V value, long sent, long ttlMillis) {
    if (!hit || ttlMillis <= 0) {
      fills.remove(text, token);
      return;
    }
    long life = Math.min(nearTtlNanos, TimeUnit.MILLISECONDS.toNanos(ttlMillis));
    install(text, token, new Copy<>(value, sent + life));
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keys) {
    checkOpen();
    Objects.requireNonNull(keys, "keys");
    Map<K, V> found = new HashMap<>();
    List<K> missing = new ArrayList<>();
    boolean usable = nearUsable();
    for (K key : new LinkedHashSet<>(keys)) {
      Copy<V> copy = usable ? l1.get(textOf(key)) : null;
      if (copy == null) {
        missing.add(key);
      } else {
        nearHits.increment(0);
        if (copy.value() != null) {
          found.put(key, copy.value());
        }
      }
    }
    if (!missing.isEmpty()) {
      // read from Redis, not copied: a bulk read does not learn each entry's remaining life
      found.putAll(l2.getAll(missing));
    }
    return found;
  }

  /** Starts a fill of {@code text}: an invalidation that arrives before {@link #install} voids it. */
  private Object reserve(String text) {
    Object token = new Object();
    fills.put(text, token);
    return token;
  }

  /** Installs a fill's copy unless an invalidation voided it; atomic with {@link #dropCopy} per key. */
  private void install(String text, @Nullable Object token, Copy<V> copy) {
    if (token == null || !nearUsable()) {
      fills.remove(text, token);
      return;
    }
    l1.compute(text, (k, old) -> fills.remove(k, token) ? copy : old);
  }

  /** Drops the copy of one key and voids its fill. */
  private void dropCopy(String text) {
    l1.compute(text, (k, old) -> {
      fills.remove(k);
      return null;
    });
  }

  /** Drops every copy and voids every fill: a gap, a reconnection, an {@code invalidateAll}. */
  private void dropEveryCopy(CacheListener.DropReason reason) {
    flushes.increment();
    fills.clear();
    l1.invalidateAll();
    Listeners.notify(listener, "onCopiesDropped", l -> l.onCopiesDropped(name(), reason));
  }

  @Override
  public void put(K key, V value) {
    checkOpen();
    l2.put(key, value);
    written(textOf(key));
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    checkOpen();
    l2.put(key, value, ttl);
    written(textOf(key));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    checkOpen();
    l2.putAll(entries);
    entries.keySet().forEach(key -> written(textOf(key)));
  }

  @Override
  public void invalidate(K key) {
    checkOpen();
    l2.invalidate(key);
    written(textOf(key));
  }

  @Override
  public void invalidateAll() {
    checkOpen();
    l2.invalidateAll(); // advances the epoch: every near cache that learns it drops every copy
  }

  /** After a write to Redis: drop the local copy, and tell the other JVMs. */
  private void written(String text) {
    dropCopy(text);
    publishing.lock();
    try {
      // numbered even if the publish fails: the next message's jump, or reconciliation, then reveals the loss
      long next = ++sequence;
      pubsub.publish(channel, (MESSAGE_FORMAT + " " + source + " " + next + " " + text)
          .getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      // the write itself is in Redis: the other JVMs drop every copy at their next reconciliation
      log.debug("Could not announce a write to {}; reconciliation will: {}", name(), e.toString());
    } finally {
      publishing.unlock();
    }
  }

  /** A message from a near cache of this name: {@code "1 <source> <sequence> <key text>"}. */
  private void received(byte[] message) {
    String text = new String(message, StandardCharsets.UTF_8);
    String[] parts = text.split(" ", 4);
    if (parts.length != 4 || !parts[0].equals(Integer.toString(MESSAGE_FORMAT))) {
      log.debug("Dropping every copy of {} after a message it cannot read", name());
      dropEveryCopy(CacheListener.DropReason.UNREADABLE_MESSAGE);
      return;
    }
    String from = parts[1];
    if (from.equals(source)) {
      return; // its own write: dropped before it was published
    }
    long seq;
    try {
      seq = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      dropEveryCopy(CacheListener.DropReason.UNREADABLE_MESSAGE);
      return;
    }
    dropCopy(parts[3]);
    invalidationsReceived.increment();
    Long last = received.put(from, seq);
    if (last != null && seq != last + 1) {
      log.debug("Messages from {} to {} jumped from {} to {}: dropping every copy", from, name(), last, seq);
      dropEveryCopy(CacheListener.DropReason.MESSAGE_GAP);
    }
  }

  /** Every reconciliation interval: publish this source's sequence, and look for sequences past those received. */
  private void reconcile() {
    long mine = sequence;
    long now = clock.epochMillis();
    if (mine != sequenceInRedis || now - recordedAtMillis >= RECORD_REFRESH_MILLIS) {
      try {
        backend.execute(jedis -> {
          jedis.hset(sourcesKey, source.getBytes(StandardCharsets.UTF_8),
              (mine + " " + now).getBytes(StandardCharsets.US_ASCII));
          return jedis.pexpire(sourcesKey, SOURCE_IDLE_MILLIS);
        });
        sequenceInRedis = mine;
        recordedAtMillis = now;
      } catch (RuntimeException e) {
        log.debug("Could not record the sequence of {}: {}", name(), e.toString());
      }
    }
    readSourcesQuietly(false);
  }

  /** Reads every source's recorded sequence; at start it is the baseline, later a sequence past it is a gap. */
  private void readSourcesQuietly(boolean baseline) {
    Map<byte[], byte[]> recorded;
    try {
      recorded = backend.execute(jedis -> jedis.hgetAll(sourcesKey));
    } catch (RuntimeException e) {
      log.debug("Could not read the sources of {}: {}", name(), e.toString());
      return;
    }
    boolean missed = false;
    long now = clock.epochMillis();
    for (Map.Entry<byte[], byte[]> entry : recorded.entrySet()) {
      String from = new String(entry.getKey(), StandardCharsets.UTF_8);
      if (from.equals(source)) {
        continue;
      }
      long seq;
      long at;
      try {
        String[] fields = new String(entry.getValue(), StandardCharsets.US_ASCII).split(" ");
        seq = Long.parseLong(fields[0]);
        at = fields.length > 1 ? Long.parseLong(fields[1]) : now;
      } catch (NumberFormatException e) {
        continue;
      }
      if (now - at > SOURCE_IDLE_MILLIS) {
        // a source silent for a day (a JVM long gone): forgotten, so the hash does not grow without bound
        forget(entry.getKey(), from);
        continue;
      }
      Long last = received.get(from);
      if (baseline) {
        received.merge(from, seq, Math::max);
      } else if (seq > (last == null ? 0 : last)) { // a source that never wrote records 0
        missed = true;
        received.merge(from, seq, Math::max);
      }
    }
    if (missed) {
      log.debug("A source of {} recorded messages this JVM never received: dropping every copy", name());
      dropEveryCopy(CacheListener.DropReason.RECONCILIATION);
    }
  }

  private void forget(byte[] field, String from) {
    received.remove(from);
    try {
      backend.execute(jedis -> jedis.hdel(sourcesKey, field));
    } catch (RuntimeException e) {
      log.debug("Could not forget source {} of {}: {}", from, name(), e.toString());
    }
  }

  @Override
  public CacheStats stats() {
    CacheStats l2Stats = l2.stats();
    long hits = nearHits.sum(0);
    return new CacheStats(l2Stats.hits() + hits, l2Stats.misses(), l2Stats.loads(), l2Stats.loadFailures(),
        l2Stats.loadNanos(), l2Stats.evictions(), staleServed.sum());
  }

  /** Whether the near channel is subscribed, live and its copies trusted (tests wait for it). */
  boolean listening() {
    return nearUsable() && l2.listening();
  }

  /** How many invalidation messages from other JVMs were received. */
  long invalidationsReceived() {
    return invalidationsReceived.sum();
  }

  /** How many times every copy was dropped (gaps, reconnections, invalidateAll). */
  long flushes() {
    return flushes.sum();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("cache " + name() + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      reconciliation.cancel();
      subscription.close();
      pubsub.close();
      l1.invalidateAll();
      l2.close();
    }
  }

  @Override
  public String toString() {
    return "NearCache[" + name() + ", " + l1.estimatedSize() + " near copies, " + stats() + "]";
  }
}
