/**
 * The contracts every distkit primitive shares, and the map of the pieces a new primitive assembles.
 *
 * <ul>
 *   <li>{@link io.distkit.core.Clock}: every read of time in the library goes through one injected clock.
 *   <li>{@link io.distkit.core.DistkitException} is the root of every exception distkit throws;
 *       {@link io.distkit.core.BackendUnavailableException} means the backend (Redis) is down, unreachable
 *       or too slow. A denial (rate limited, lock busy, pool exhausted) is a return value, never an exception.
 *   <li>{@link io.distkit.core.FailurePolicy} says what a Redis-backed primitive does while Redis is down, and
 *       {@link io.distkit.core.BackendGuard} remembers an outage so that calls fail fast instead of each
 *       waiting out a socket timeout (and, with a slow-call threshold, treats a backend that answers too slowly
 *       as down).
 *   <li>{@link io.distkit.core.BackendListener} is the one listener convention for backend events (error,
 *       fallback, outage, recovery, missed messages).
 * </ul>
 *
 * <h2>Building a primitive: which piece for what</h2>
 * <table>
 *   <caption>The session layer and the Redis plumbing</caption>
 *   <tr><th>the primitive needs</th><th>use</th><th>never</th></tr>
 *   <tr><td>background work: renewals, polls, probes, eviction, reconnects</td>
 *       <td>a {@link io.distkit.core.session.Scheduler} from its builder (default
 *       {@link io.distkit.core.session.Scheduler#shared()}); a {@link io.distkit.core.session.SerialExecutor}
 *       over it for steps that must not overlap or reorder; {@code ManualScheduler} in tests</td>
 *       <td>{@code Executors.new...}, {@code new Thread}, {@code Thread.sleep} loops</td></tr>
 *   <tr><td>one operation on Redis</td>
 *       <td>one Lua script run by {@link io.distkit.core.redis.RedisBackend#eval}, keys from
 *       {@link io.distkit.core.redis.RedisKeys} under one hash tag</td>
 *       <td>read-then-write from Java; Jedis exceptions in module code</td></tr>
 *   <tr><td>time inside a script</td>
 *       <td>the {@link io.distkit.core.redis.LuaPrelude#TIME} prelude with a
 *       {@link io.distkit.core.redis.RedisTime} argument (server time by default, client time for tests)</td>
 *       <td>its own {@code TIME} call or clock arithmetic</td></tr>
 *   <tr><td>a holder that must know when it lost its grant (lock, permit, membership, job visibility)</td>
 *       <td>{@link io.distkit.core.redis.RedisLeases} ({@link io.distkit.core.session.Lease}: conservative
 *       local deadline, batched renewal, {@code onLost}); the {@link io.distkit.core.redis.LuaPrelude#LEASES}
 *       prelude inside its own acquire script; a primitive whose renewal must do more than renew (membership's
 *       also bumps the group's version and announces it) calls the prelude from its own script and keeps its
 *       deadline with {@link io.distkit.core.session.Lease#localDeadline}</td>
 *       <td>a timer per lease; a watchdog that renews without telling the holder; a deadline rule of its
 *       own</td></tr>
 *   <tr><td>a number a resource can check to refuse a stale holder</td>
 *       <td>{@link io.distkit.core.session.FencingToken} from the {@link io.distkit.core.redis.LuaPrelude#FENCING}
 *       prelude (or {@link io.distkit.core.redis.RedisFencing})</td>
 *       <td>{@code INCR} alone (it goes back when a failover loses it)</td></tr>
 *   <tr><td>hearing about changes made by other JVMs</td>
 *       <td>a share of the client's one hub,
 *       {@link io.distkit.core.redis.RedisSubscriptions#shared(io.distkit.core.redis.RedisBackend,
 *       io.distkit.core.session.Scheduler, io.distkit.core.Clock) RedisSubscriptions.shared(backend, scheduler,
 *       clock)} (or {@link io.distkit.core.redis.RedisSubscriptions#share() share()} of a hub the caller passes),
 *       closed when the primitive closes; resynchronise on
 *       {@link io.distkit.core.session.Subscriber#onMissedMessages}</td>
 *       <td>a hub or connection of its own, per channel or per primitive; a registry of hubs of its own;
 *       trusting pub/sub to deliver everything</td></tr>
 *   <tr><td>many commands at once (bulk reads, acknowledgements)</td>
 *       <td>{@link io.distkit.core.redis.RedisBatch} (pipelined per connection, grouped by master on Cluster)</td>
 *       <td>one round trip per item</td></tr>
 *   <tr><td>what to do while Redis is down</td>
 *       <td>a {@link io.distkit.core.session.PolicySupport} declaring the policies that make sense, applied by
 *       a {@link io.distkit.core.session.FailurePolicyHandler}</td>
 *       <td>its own counting and listener calls; accepting a policy it cannot honour</td></tr>
 *   <tr><td>choosing among endpoints, retrying</td>
 *       <td>a {@link io.distkit.core.session.HealthTracker} per endpoint and a
 *       {@link io.distkit.core.session.Backoff}</td>
 *       <td>an ejection loop of its own beside the guard</td></tr>
 *   <tr><td>values stored in Redis</td>
 *       <td>a {@link io.distkit.core.codec.VersionedCodec} (first byte: the format version), the
 *       {@link io.distkit.core.redis.LuaPrelude#FORMAT} prelude in scripts</td>
 *       <td>guessing a format from a value's length or shape; Java serialization</td></tr>
 * </table>
 *
 * <p>Tests use distkit-core's test-jar ({@code io.distkit.core.testing}): {@code @ContractTest} runs one
 * test on local, Redis standalone and Redis Cluster; {@code ManualClock} and {@code ManualScheduler} drive
 * time; {@code FaultProxy}, {@code ClusterFaultProxy}, {@code RedisServerProcess} (stop, kill, pause, client
 * pause, debug sleep), {@code RedisSentinel} and {@code ChildJvm} make faults; {@code FencedRegister},
 * {@code HoldHistory} and {@code QueueChecker} check histories.
 *
 * <h2>Listeners and stats</h2>
 * Every primitive follows the same two conventions:
 * <ul>
 *   <li>It accepts a listener whose methods all default to no-ops. A listener that throws is logged at WARN
 *       and never changes the outcome of the operation that notified it. Backend events go through
 *       {@link io.distkit.core.BackendListener}.
 *   <li>It offers {@code stats()}: an immutable snapshot (a record) of monotonically increasing counters,
 *       cheap enough to poll from a metrics exporter.
 * </ul>
 */
@NullMarked
package io.distkit.core;

import org.jspecify.annotations.NullMarked;
