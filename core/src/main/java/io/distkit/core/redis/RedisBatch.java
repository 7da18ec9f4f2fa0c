package io.distkit.core.redis;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Many commands or scripts in one pipelined round trip per connection: on Redis Cluster, grouped by the
 * master that serves each one's hash slot. For bulk operations (a cache's {@code getAll}), batched lease
 * renewals and pipelined acknowledgements.
 *
 * <pre>{@code
 * RedisBatch batch = RedisBatch.on(backend);
 * for (byte[] key : keys) {
 *   batch.command(key, pipeline -> pipeline.get(key));
 * }
 * List<RedisBatch.Reply> replies = batch.execute(); // in the order added
 * }</pre>
 *
 * <p><b>Cost.</b> Standalone (or Sentinel): one round trip on one pooled connection for the whole batch.
 * Cluster: one round trip per master that holds a slot of the batch, one after the other, each on a pooled
 * connection of that master's. Commands are not atomic together: each command (each script) is.
 *
 * <p><b>Failures</b> are per command: a {@link Reply} holds a value or a {@link DistkitException}. A script
 * Redis has forgotten ({@code NOSCRIPT}) is loaded and its calls run again once; commands redirected during a
 * resharding or failover ({@code MOVED}, {@code ASK}) run again once after the client re-reads the slot map.
 * When the connection of one master fails, that master's commands get a {@link BackendUnavailableException}
 * and the others still answer; when every group fails that way, {@link #execute()} throws it, and the
 * backend's guard records the outage (later batches then fail fast).
 *
 * <p>A batch is used once, from one thread. Each command sent to one slot must keep all its keys in that slot.
 */
public final class RedisBatch {

  private static final Logger log = LoggerFactory.getLogger(RedisBatch.class);

  /**
   * One command's outcome.
   *
   * @param value what Redis answered (as the command's Jedis response decodes it), when it succeeded
   * @param error why it failed, when it did
   */
  public record Reply(@Nullable Object value, @Nullable DistkitException error) {

    /**
     * Whether the command succeeded.
     *
     * @return true when Redis answered without an error
     */
    public boolean ok() {
      return error == null;
    }

    /**
     * The value, or the failure thrown.
     *
     * @return the command's answer (null for a nil reply)
     * @throws DistkitException the command's failure ({@link BackendUnavailableException} for an outage)
     */
    public @Nullable Object get() {
      if (error != null) {
        throw error;
      }
      return value;
    }
  }

  /** One queued command. */
  private static final class Op {
    final byte[] routingKey;
    final Function<? super AbstractPipeline, ? extends Response<?>> command;
    final @Nullable RedisScript script;
    final int slot;

    Op(byte[] routingKey, Function<? super AbstractPipeline, ? extends Response<?>> command,
        @Nullable RedisScript script) {
      this.routingKey = routingKey;
      this.command = command;
      this.script = script;
      this.slot = Topology.slot(routingKey);
    }
  }

  private final RedisBackend backend;
  private final UnifiedJedis client;
  private final boolean cluster;
  private final List<Op> ops = new ArrayList<>();
  private boolean executed;

  private RedisBatch(RedisBackend backend) {
    this.backend = backend;
    this.client = backend.client();
    this.cluster = Topology.isCluster(client);
  }

  /**
   * Starts an empty batch.
   *
   * @param backend where the batch runs, through its guard
   * @return a batch
   */
  public static RedisBatch on(RedisBackend backend) {
    return new RedisBatch(Objects.requireNonNull(backend, "backend"));
  }

  /**
   * Adds a script call ({@code EVALSHA}; loaded and retried once if Redis forgot it).
   *
   * @param script the script
   * @param keys its keys, at least one, all in one hash slot
   * @param args its arguments
   * @return the index of its reply
   */
  public int eval(RedisScript script, List<byte[]> keys, List<byte[]> args) {
    Objects.requireNonNull(script, "script");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a batched script needs at least one key to route it");
    }
    List<byte[]> keyCopy = List.copyOf(keys);
    List<byte[]> argCopy = List.copyOf(args);
    return add(new Op(keyCopy.get(0), p -> p.evalsha(script.sha1Bytes(), keyCopy, argCopy), script));
  }

  /**
   * Adds a command.
   *
   * @param routingKey a key the command touches; on Redis Cluster it goes to the master of this key's slot
   * @param command appends the command to the pipeline, e.g. {@code p -> p.get(key)}; must not call
   *     {@code sync}
   * @return the index of its reply
   */
  public int command(byte[] routingKey, Function<? super AbstractPipeline, ? extends Response<?>> command) {
    return add(new Op(Objects.requireNonNull(routingKey, "routingKey"), Objects.requireNonNull(command, "command"),
        null));
  }

  private int add(Op op) {
    if (executed) {
      throw new IllegalStateException("this batch was executed already; start a new one");
    }
    ops.add(op);
    return ops.size() - 1;
  }

  /**
   * How many commands were added.
   *
   * @return the count
   */
  public int size() {
    return ops.size();
  }

  /**
   * Sends everything and waits for every reply.
   *
   * @return one reply per command, in the order added
   * @throws BackendUnavailableException when no command could reach Redis (or the guard remembers an outage)
   */
  public List<Reply> execute() {
    if (executed) {
      throw new IllegalStateException("this batch was executed already; start a new one");
    }
    executed = true;
    if (ops.isEmpty()) {
      return List.of();
    }
    return backend.guard().call(this::run);
  }

  private List<Reply> run() {
    Reply[] replies = new Reply[ops.size()];
    List<Integer> pending = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      pending.add(i);
    }
    for (int round = 0; round < 2 && !pending.isEmpty(); round++) {
      pending = round(pending, replies, round == 0);
    }
    boolean anyAnswered = false;
    BackendUnavailableException unavailable = null;
    for (Reply reply : replies) {
      if (reply.error() instanceof BackendUnavailableException e) {
        unavailable = e;
      } else {
        anyAnswered = true;
      }
    }
    if (!anyAnswered && unavailable != null) {
      throw unavailable;
    }
    return Arrays.asList(replies);
  }

  /** Sends {@code indices}, fills their replies, and returns those worth one more try. */
  private List<Integer> round(List<Integer> indices, Reply[] replies, boolean mayRetry) {
    List<Integer> retry = new ArrayList<>();
    List<RedisScript> toLoad = new ArrayList<>();
    boolean refresh = false;
    for (Map.Entry<Object, List<Integer>> group : groups(indices).entrySet()) {
      List<Integer> members = group.getValue();
      List<Response<?>> responses = new ArrayList<>(members.size());
      try (AbstractPipeline pipeline = pipelineFor(group.getKey(), ops.get(members.get(0)).slot)) {
        for (int i : members) {
          responses.add(ops.get(i).command.apply(pipeline));
        }
        pipeline.sync();
      } catch (JedisException e) {
        DistkitException mapped = JedisErrors.translate(e, "Pipeline of " + members.size() + " commands", List.of());
        for (int i : members) {
          replies[i] = new Reply(null, mapped);
        }
        continue;
      }
      for (int k = 0; k < members.size(); k++) {
        int i = members.get(k);
        Op op = ops.get(i);
        try {
          replies[i] = new Reply(responses.get(k).get(), null);
        } catch (JedisNoScriptException e) {
          replies[i] = new Reply(null, JedisErrors.translate(e, "Script " + op.script.name(),
              List.of(op.routingKey)));
          if (mayRetry) {
            retry.add(i);
            if (!toLoad.contains(op.script)) {
              toLoad.add(op.script);
            }
          }
        } catch (JedisRedirectionException e) {
          replies[i] = new Reply(null, new BackendUnavailableException("Redis Cluster moved the slot of a batched "
              + "command: " + e.getMessage(), e));
          if (mayRetry) {
            retry.add(i);
            refresh = true;
          }
        } catch (JedisException e) {
          replies[i] = new Reply(null, JedisErrors.translate(e, op.script != null ? "Script " + op.script.name()
              : "Batched command", List.of(op.routingKey)));
        }
      }
    }
    if (refresh) {
      log.debug("A batch met a redirection; re-reading the cluster's slot map");
      Topology.refresh(client);
    }
    for (RedisScript script : toLoad) {
      load(script, retry);
    }
    return retry;
  }

  private void load(RedisScript script, List<Integer> retry) {
    log.debug("Redis does not know script {} ({}); loading it", script.name(), script.sha1());
    if (cluster) {
      byte[] sample = retry.stream().map(ops::get).filter(op -> op.script == script).findFirst()
          .map(op -> op.routingKey).orElseThrow();
      client.scriptLoad(script.sourceBytes(), sample); // a cluster client sends it to every master
    } else {
      client.scriptLoad(script.source());
    }
  }

  /** Commands grouped by connection: one group standalone, one per master on Cluster, in first-seen order. */
  private Map<Object, List<Integer>> groups(List<Integer> indices) {
    Map<Object, List<Integer>> groups = new LinkedHashMap<>();
    if (!cluster) {
      groups.put("all", new ArrayList<>(indices));
      return groups;
    }
    Map<Integer, HostAndPort> masterOfSlot = new java.util.HashMap<>();
    for (int i : indices) {
      int slot = ops.get(i).slot;
      HostAndPort master = masterOfSlot.computeIfAbsent(slot, this::masterOf);
      groups.computeIfAbsent(master, m -> new ArrayList<>()).add(i);
    }
    return groups;
  }

  private HostAndPort masterOf(int slot) {
    try (Connection connection = Topology.connectionForSlot(client, slot)) {
      return connection.getHostAndPort();
    } catch (JedisException e) {
      // no pooled connection to that master: let the pipeline of this slot fail on its own
      return new HostAndPort("unreachable-slot", slot);
    }
  }

  private AbstractPipeline pipelineFor(Object group, int slot) {
    if (!cluster) {
      return client.pipelined();
    }
    return new Pipeline(Topology.connectionForSlot(client, slot), true);
  }

  @Override
  public String toString() {
    return "RedisBatch[" + ops.size() + " commands" + (executed ? ", executed" : "") + "]";
  }
}
