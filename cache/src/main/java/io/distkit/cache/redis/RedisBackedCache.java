package io.distkit.cache.redis;

import io.distkit.cache.Cache;
import io.distkit.cache.CacheBuilder;
import io.distkit.cache.CacheListener;
import io.distkit.cache.CacheLoadException;
import io.distkit.cache.CacheLoader;
import io.distkit.cache.CacheStats;
import io.distkit.cache.internal.CacheCounters;
import io.distkit.cache.internal.SingleFlight;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.Clock;
import io.distkit.core.codec.Codec;
import io.distkit.core.codec.CodecException;
import io.distkit.core.internal.Require;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisBatch;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisScript;
import io.distkit.core.session.FailurePolicyHandler;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.params.SetParams;

/** {@link RedisCache}'s cache: see there. */
final class RedisBackedCache<K, V> implements Cache<K, V> {

  /** What a read found: nothing (a miss), a remembered absence, or a value. */
  private record Found<V>(boolean hit, @Nullable V value) {
    static final Found<?> MISS = new Found<>(false, null);

    @SuppressWarnings("unchecked")
    static <V> Found<V> miss() {
      return (Found<V>) MISS;
    }
  }

  /** Reads an entry and its remaining time to live in one round trip: {@code {value or false, PTTL}}. */
  private static final RedisScript READ_WITH_TTL = RedisScript.of("cache_read_with_ttl",
      "return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}");

  /**
   * A loader's fill: writes the entry ({@code ARGV[1]}, for {@code ARGV[3]} ms) unless the key holds an entry of
   * epoch {@code ARGV[2]} or later (bytes 3 to 10 of the frame, {@link CacheFrame}): a write that landed while the
   * loader ran is newer than what it loaded. Whatever else is there (nothing, an entry of an earlier epoch, foreign
   * bytes) is replaced. With a fill lease ({@code ARGV[4]} its token, {@code KEYS[2]} the lease), only the lease's
   * holder fills, and the lease ends: an {@code invalidate} during the load deleted the lease, so the fill of what
   * was loaded before it is refused.
   */
  private static final RedisScript FILL = RedisScript.of("cache_fill", """
      if ARGV[4] ~= '' then
        if redis.call('GET', KEYS[2]) ~= ARGV[4] then
          return 0
        end
        redis.call('DEL', KEYS[2])
      end
      local raw = redis.call('GET', KEYS[1])
      if raw and #raw >= 10 and string.byte(raw, 1) == 1 then
        local epoch = 0
        for i = 3, 10 do
          epoch = epoch * 256 + string.byte(raw, i)
        end
        if epoch >= tonumber(ARGV[2]) then
          return 0
        end
      end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
      return 1""");

  /**
   * A miss's second look, and the fill lease: answers {@code {1, entry}} when the key holds an entry of epoch
   * {@code ARGV[3]} or later (or foreign bytes, which the caller refuses), else takes the lease ({@code KEYS[2]},
   * token {@code ARGV[1]}, for {@code ARGV[2]} ms; {@code ARGV[1]} empty: no lease) and answers {@code {2, ''}}, or
   * {@code {0, ''}} when another caller holds it.
   */
  private static final RedisScript LOOK_OR_LEASE = RedisScript.of("cache_look_or_lease", """
      local raw = redis.call('GET', KEYS[1])
      if raw then
        if #raw < 10 or string.byte(raw, 1) ~= 1 then
          return {1, raw}
        end
        local epoch = 0
        for i = 3, 10 do
          epoch = epoch * 256 + string.byte(raw, i)
        end
        if epoch >= tonumber(ARGV[3]) then
          return {1, raw}
        end
      end
      if ARGV[1] == '' or redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
        return {2, ''}
      end
      return {0, ''}""");

  /**
   * A read for a near cache's copy: whether it hit, the value (null for a remembered absence or a miss), and how
   * long the entry has left in Redis.
   *
   * @param hit whether something was cached
   * @param value the value, or null
   * @param ttlMillis the entry's remaining time to live, from before the read was sent; 0 on a miss
   */
  record TimedRead<V>(boolean hit, @Nullable V value, long ttlMillis) {}

  /** The token of a fill without a lease. */
  private static final byte[] NO_LEASE = new byte[0];
  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long MAX_PAUSE_MILLIS = 100;

  private final String name;
  private final RedisBackend backend;
  private final RedisKeys keys;
  /** The fill leases' keys: the entry's hash tag, so the same slot. */
  private final RedisKeys leaseKeys;
  private final long fillLeaseMillis;
  private final Codec<V> values;
  private final Function<? super K, String> keyText;
  private final long defaultTtlMillis;
  private final long negativeTtlMillis;
  private final CacheCounters counters;
  private final FailurePolicyHandler policy;
  private final CacheEpochs epochs;
  private final SingleFlight<K, Optional<V>> flights = new SingleFlight<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  RedisBackedCache(String name, RedisBackend backend, RedisKeys keys, Codec<V> values,
      Function<? super K, String> keyText, Duration defaultTtl, Duration negativeTtl, Clock clock,
      CacheListener listener,
      FailurePolicyHandler policy, CacheEpochs epochs, Duration fillLease) {
    this.name = name;
    this.leaseKeys = RedisKeys.of(keys.prefix(), "cache-lease");
    this.fillLeaseMillis = fillLease.toMillis();
    this.backend = backend;
    this.keys = keys;
    this.values = values;
    this.keyText = keyText;
    this.defaultTtlMillis = defaultTtl.toMillis();
    this.negativeTtlMillis = negativeTtl.toMillis();
    this.counters = new CacheCounters(clock, listener);
    this.policy = policy;
    this.epochs = epochs;
  }

  @Override
  public String name() {
    return name;
  }

  /** A key's text in its Redis keys. */
  private String textOf(K key) {
    Objects.requireNonNull(key, "key");
    return Objects.requireNonNull(keyText.apply(key), "keyText(key)");
  }

  /** The Redis key of {@code key}'s entry. */
  private byte[] keyOf(K key) {
    return keys.keyBytes(textOf(key), name, "key");
  }

  /** The Redis key of {@code key}'s fill lease: the entry's hash tag, so the same slot. */
  private byte[] leaseKeyOf(K key) {
    return leaseKeys.keyBytes(textOf(key), name, "key");
  }

  /** Reads what is stored: a miss for nothing, or for an entry of an epoch before the one known. */
  private Found<V> decode(byte @Nullable [] stored, byte[] key) {
    if (stored == null) {
      return Found.miss();
    }
    CacheFrame frame = CacheFrame.read(stored, new String(key, StandardCharsets.UTF_8));
    if (frame.epoch() < epochs.known()) {
      return Found.miss(); // written before an invalidateAll: gone as far as readers are concerned
    }
    if (frame.absent()) {
      return new Found<>(true, null);
    }
    try {
      return new Found<>(true, values.decode(frame.payload()));
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CodecException("The value codec could not read cache entry "
          + new String(key, StandardCharsets.UTF_8) + ": " + e, e);
    }
  }

  private Found<V> read(byte[] key) {
    return decode(backend.execute(jedis -> jedis.get(key)), key);
  }

  /**
   * Reads {@code key} with its remaining time to live (one {@code EVALSHA}), for a near cache's copy; counted as a
   * read. Under {@code FAIL_OPEN} an unreachable Redis reads as a miss.
   */
  TimedRead<V> readWithTtl(K key) {
    byte[] redisKey = keyOf(key);
    checkOpen();
    try {
      Object reply = backend.eval(READ_WITH_TTL, List.of(redisKey), List.of());
      List<?> fields = (List<?>) reply;
      Object stored = fields.get(0);
      Found<V> found = decode(stored instanceof byte[] bytes ? bytes : null, redisKey);
      counters.read(found.hit() ? 1 : 0, found.hit() ? 0 : 1);
      long ttl = (Long) fields.get(1);
      return new TimedRead<>(found.hit(), found.value(), found.hit() ? Math.max(0, ttl) : 0);
    } catch (BackendUnavailableException e) {
      policy.onUnavailable(e, Found::miss, Found::miss);
      counters.read(0, 1);
      return new TimedRead<>(false, null, 0);
    }
  }

  /** Runs {@code loader} for {@code key}, counted, without touching Redis (a near cache's answer while it is down). */
  @Nullable V loadUncached(K key, CacheLoader<? super K, ? extends V> loader) {
    return counters.load(name, key, loader);
  }

  /** The default time to live in milliseconds (a near cache bounds a loaded copy's life by it). */
  long defaultTtlMillis() {
    return defaultTtlMillis;
  }

  /** The negative time to live in milliseconds, 0 when absences are not remembered. */
  long negativeTtlMillis() {
    return negativeTtlMillis;
  }

  @Override
  public Optional<V> getIfPresent(K key) {
    byte[] redisKey = keyOf(key);
    checkOpen();
    Found<V> found;
    try {
      found = read(redisKey);
    } catch (BackendUnavailableException e) {
      found = policy.onUnavailable(e, Found::miss, Found::miss);
    }
    counters.read(found.hit() ? 1 : 0, found.hit() ? 0 : 1);
    return Optional.ofNullable(found.value());
  }

  @Override
  public Optional<V> get(K key, CacheLoader<? super K, ? extends V> loader) {
    byte[] redisKey = keyOf(key);
    Objects.requireNonNull(loader, "loader");
    checkOpen();
    Found<V> found;
    try {
      found = read(redisKey);
    } catch (BackendUnavailableException e) {
      // FAIL_OPEN: the source answers, uncached; FAIL_CLOSED: rethrown
      policy.onUnavailable(e, Found::miss, Found::miss);
      counters.read(0, 1);
      return Optional.ofNullable(counters.load(name, key, loader));
    }
    if (found.hit()) {
      counters.read(1, 0);
      return Optional.ofNullable(found.value());
    }
    counters.read(0, 1);
    return flights.run(key, () -> loadAndStore(key, redisKey, loader));
  }

  /**
   * {@link #get(Object, CacheLoader)} after a miss the caller has counted already (a near cache's
   * {@link #readWithTtl}): the single-flight load, without a first read.
   */
  Optional<V> loadAfterMiss(K key, CacheLoader<? super K, ? extends V> loader) {
    byte[] redisKey = keyOf(key);
    Objects.requireNonNull(loader, "loader");
    checkOpen();
    return flights.run(key, () -> loadAndStore(key, redisKey, loader));
  }

  /** The first miss in this JVM: looks once more (another JVM may have filled it), then loads and writes. */
  private Optional<V> loadAndStore(K key, byte[] redisKey, CacheLoader<? super K, ? extends V> loader) {
    byte[] leaseKey = leaseKeyOf(key);
    byte[] token = fillLeaseMillis > 0 ? newToken() : NO_LEASE;
    boolean reachable = true;
    try {
      long waited = 0;
      long pause = FIRST_PAUSE_MILLIS;
      while (true) {
        Look<V> look = lookOrLease(redisKey, leaseKey, token);
        if (look.found().hit()) {
          return Optional.ofNullable(look.found().value());
        }
        if (look.leased() || waited >= fillLeaseMillis) {
          // leased: this JVM loads for the fleet; or the lease holder did not fill in time: load, fill if possible
          break;
        }
        // another JVM holds the fill lease for this key: wait briefly for its fill, never longer than a lease
        pause(pause);
        waited += pause;
        pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
      }
    } catch (BackendUnavailableException e) {
      reachable = policy.onUnavailable(e, () -> false, () -> false); // FAIL_OPEN: load, do not write
    }
    long epoch = epochs.known();
    V value = counters.load(name, key, loader);
    if (reachable) {
      try {
        if (value != null) {
          fill(redisKey, leaseKey, token, epoch, CacheFrame.value(epoch, encode(value)), defaultTtlMillis);
        } else if (negativeTtlMillis > 0) {
          fill(redisKey, leaseKey, token, epoch, CacheFrame.absence(epoch), negativeTtlMillis);
        }
      } catch (BackendUnavailableException e) {
        policy.onUnavailable(e, () -> false, () -> false); // FAIL_OPEN: the loaded value, uncached
      }
    }
    return Optional.ofNullable(value);
  }

  /** What {@link #LOOK_OR_LEASE} found: an entry of the known epoch, or whether this caller got the lease. */
  private record Look<V>(Found<V> found, boolean leased) {}

  private Look<V> lookOrLease(byte[] redisKey, byte[] leaseKey, byte[] token) {
    Object reply = backend.eval(LOOK_OR_LEASE, List.of(redisKey, leaseKey),
        List.of(token, ascii(fillLeaseMillis), ascii(epochs.known())));
    List<?> fields = (List<?>) reply;
    long kind = (Long) fields.get(0);
    if (kind == 1) {
      return new Look<>(decode((byte[]) fields.get(1), redisKey), false);
    }
    return new Look<>(Found.miss(), kind == 2);
  }

  private static byte[] newToken() {
    return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoadException("Interrupted while waiting for another JVM's fill", e);
    }
  }

  private byte[] encode(V value) {
    return values.encode(Objects.requireNonNull(value, "value"));
  }

  private void fill(byte[] redisKey, byte[] leaseKey, byte[] token, long epoch, byte[] stored, long ttlMillis) {
    backend.eval(FILL, List.of(redisKey, leaseKey), List.of(stored, ascii(epoch), ascii(ttlMillis), token));
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  private void write(byte[] redisKey, byte[] stored, long ttlMillis) {
    backend.execute(jedis -> jedis.set(redisKey, stored, SetParams.setParams().px(ttlMillis)));
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keysWanted) {
    Objects.requireNonNull(keysWanted, "keys");
    checkOpen();
    List<K> unique = new ArrayList<>(new LinkedHashSet<>(keysWanted));
    Map<K, V> found = new HashMap<>(unique.size() * 2);
    if (unique.isEmpty()) {
      return found;
    }
    List<byte[]> redisKeys = new ArrayList<>(unique.size());
    RedisBatch batch = RedisBatch.on(backend);
    for (K key : unique) {
      byte[] redisKey = keyOf(key);
      redisKeys.add(redisKey);
      batch.command(redisKey, pipeline -> pipeline.get(redisKey));
    }
    List<RedisBatch.Reply> replies;
    try {
      replies = batch.execute();
    } catch (BackendUnavailableException e) {
      policy.onUnavailable(e, Found::miss, Found::miss);
      counters.read(0, unique.size());
      return found;
    }
    int hits = 0;
    for (int i = 0; i < unique.size(); i++) {
      Found<V> entry = decode((byte[]) replies.get(i).get(), redisKeys.get(i));
      if (entry.hit()) {
        hits++;
        if (entry.value() != null) {
          found.put(unique.get(i), entry.value());
        }
      }
    }
    counters.read(hits, unique.size() - hits);
    return found;
  }

  @Override
  public void put(K key, V value) {
    store(key, value, defaultTtlMillis);
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    CacheBuilder.atLeastOneMilli(ttl, "ttl");
    if (ttl.compareTo(RedisCache.MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl (" + ttl + ") must be at most " + RedisCache.MAX_TTL);
    }
    store(key, value, Require.saturatedNanos(ttl) / 1_000_000L);
  }

  private void store(K key, V value, long ttlMillis) {
    byte[] redisKey = keyOf(key);
    byte[] stored = CacheFrame.value(epochs.known(), encode(value));
    checkOpen();
    write(redisKey, stored, ttlMillis);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    Objects.requireNonNull(entries, "entries");
    checkOpen();
    if (entries.isEmpty()) {
      return;
    }
    long epoch = epochs.known();
    RedisBatch batch = RedisBatch.on(backend);
    entries.forEach((key, value) -> {
      byte[] redisKey = keyOf(key);
      byte[] stored = CacheFrame.value(epoch, encode(value));
      batch.command(redisKey, pipeline -> pipeline.set(redisKey, stored, SetParams.setParams().px(defaultTtlMillis)));
    });
    for (RedisBatch.Reply reply : batch.execute()) {
      reply.get(); // throws the first error: a partial write is reported, never ignored
    }
  }

  @Override
  public void invalidate(K key) {
    byte[] redisKey = keyOf(key);
    byte[] leaseKey = leaseKeyOf(key);
    checkOpen();
    // the fill lease goes too: a load that began before this call cannot fill what it loaded
    backend.execute(jedis -> jedis.del(redisKey, leaseKey));
  }

  @Override
  public void invalidateAll() {
    checkOpen();
    epochs.advance();
  }

  @Override
  public CacheStats stats() {
    return counters.stats();
  }

  /** Whether the invalidation channel is subscribed (tests wait for it). */
  boolean listening() {
    return epochs.listening();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("cache " + name + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      epochs.close();
    }
  }

  @Override
  public String toString() {
    return "RedisCache[" + name + ", " + stats() + "]";
  }
}
