package io.distkit.core.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * One real {@code redis-server} process on a free loopback port, with the controls fault tests need:
 * {@link #stop()}, {@link #kill()}, {@link #pause()} (SIGSTOP), {@link #resume()} (SIGCONT) and
 * {@link #restart()} on the same port.
 *
 * <p>Started by {@link RedisServers}; every process started is killed when the test JVM exits. Nothing is
 * persisted (no RDB, no AOF) unless the extra arguments of {@link RedisServers#startStandalone(String...)} ask
 * for it: a server keeps its directory and arguments across {@link #restart()}, so an AOF is reloaded. Logs go to
 * {@code <dir>/redis.log}, and the last lines are quoted in any start-up failure.
 */
public final class RedisServerProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);

  /** The loopback address every test server binds. */
  public static final String HOST = "127.0.0.1";

  /** The timeout of clients made by {@link #newClient()}: short, so fault tests stay quick. */
  public static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofMillis(1000);

  private static final Set<RedisServerProcess> RUNNING = ConcurrentHashMap.newKeySet();
  private static final int START_ATTEMPTS = 5;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (RedisServerProcess server : RUNNING) {
        server.destroy();
      }
    }, "distkit-redis-reaper"));
  }

  private final RedisBinary binary;
  private final Path dir;
  private final int port;
  private final List<String> leadingArgs;
  private final List<String> extraArgs;
  private volatile Process process;
  private volatile boolean paused;

  private RedisServerProcess(RedisBinary binary, Path dir, int port, List<String> leadingArgs,
      List<String> extraArgs) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.leadingArgs = List.copyOf(leadingArgs);
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts a server on a free port (whose cluster bus port, +10000, is free too).
   *
   * @param extraArgs more {@code redis-server} arguments, e.g. {@code --cluster-enabled yes}
   * @return a running server that answers {@code PING}
   */
  static RedisServerProcess start(List<String> extraArgs) {
    return start(dir -> List.of(), extraArgs);
  }

  /**
   * Starts a server whose first arguments depend on its directory (a configuration file written there, as
   * Sentinel needs: {@code redis-server <file> --sentinel}).
   *
   * @param leadingArgs the arguments that come first, given the server's directory
   * @param extraArgs more arguments, after the standard ones
   * @return a running server that answers {@code PING}
   */
  static RedisServerProcess start(java.util.function.Function<Path, List<String>> leadingArgs,
      List<String> extraArgs) {
    RedisBinary binary = RedisBinary.locate();
    IllegalStateException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = freePortPair();
      Path dir;
      try {
        dir = Files.createDirectories(baseDir().resolve("redis-" + port + "-" + System.nanoTime()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      RedisServerProcess server = new RedisServerProcess(binary, dir, port, leadingArgs.apply(dir), extraArgs);
      try {
        server.launch();
        return server;
      } catch (IllegalStateException e) {
        // most likely someone took the port between our check and redis binding it: try another
        last = e;
        server.destroy();
      }
    }
    throw last;
  }

  private static Path baseDir() {
    return Path.of(System.getProperty("distkit.redis.dir",
        Path.of("target", "redis-servers").toAbsolutePath().toString()));
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(binary.path().toString());
    command.addAll(leadingArgs);
    command.addAll(List.of(
        "--port", Integer.toString(port),
        "--bind", HOST,
        "--protected-mode", "no",
        "--daemonize", "no",
        "--save", "",
        "--appendonly", "no",
        "--dir", dir.toString(),
        "--logfile", "redis.log"));
    if (leadingArgs.isEmpty() && binary.majorVersion() >= 7) {
      // Redis 7 refuses DEBUG unless told; debugSleep needs it (6.2 allows it and would not know the option)
      command.addAll(List.of("--enable-debug-command", "local"));
    }
    command.addAll(extraArgs);
    try {
      process = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + binary + ": " + e.getMessage(), e);
    }
    RUNNING.add(this);
    paused = false;
    try {
      await("redis-server on port " + port + " to answer PING")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("redis-server on port " + port + " exited with "
                  + process.exitValue() + ":\n" + logTail());
            }
            return answersPing();
          });
    } catch (RuntimeException e) {
      throw new IllegalStateException("redis-server on port " + port + " did not start: " + e.getMessage()
          + "\n" + logTail(), e);
    }
    log.debug("Started {} on port {} (pid {}) in {}", binary, port, process.pid(), dir);
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] reply = new byte[7];
      int n = socket.getInputStream().readNBytes(reply, 0, 7);
      return new String(reply, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The last lines of the server's logs, for failure messages.
   *
   * @return up to 20 lines of redis.log and stdout
   */
  public String logTail() {
    StringBuilder out = new StringBuilder();
    for (String file : List.of("stdout.log", "redis.log")) {
      Path path = dir.resolve(file);
      try {
        if (Files.exists(path)) {
          List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
          lines.subList(Math.max(0, lines.size() - 20), lines.size())
              .forEach(l -> out.append("  ").append(file).append(": ").append(l).append('\n'));
        }
      } catch (IOException | UncheckedIOException e) {
        out.append("  (cannot read ").append(path).append(": ").append(e.getMessage()).append(")\n");
      }
    }
    return out.toString();
  }

  /**
   * Finds a port p such that p and p + 10000 (the cluster bus) are both free right now.
   *
   * @return the port
   */
  static int freePortPair() {
    for (int i = 0; i < 1000; i++) {
      int candidate = ThreadLocalRandom.current().nextInt(20000, 30000);
      if (isFree(candidate) && isFree(candidate + 10000)) {
        return candidate;
      }
    }
    throw new IllegalStateException("No free pair of loopback ports in 20000-40000");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(HOST, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The port the server listens on (the same across restarts).
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The server's address.
   *
   * @return 127.0.0.1 and {@link #port()}
   */
  public HostAndPort hostAndPort() {
    return new HostAndPort(HOST, port);
  }

  /**
   * The server's URI, as a user would pass it.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  /**
   * The server's directory (its logs, and its AOF when it has one), the same across restarts.
   *
   * @return the directory
   */
  public Path dir() {
    return dir;
  }

  /**
   * The binary this server runs.
   *
   * @return the binary
   */
  public RedisBinary binary() {
    return binary;
  }

  /**
   * A new pooled client with {@link #DEFAULT_CLIENT_TIMEOUT}. The caller closes it.
   *
   * @return the client
   */
  public RedisClient newClient() {
    return newClient(DEFAULT_CLIENT_TIMEOUT);
  }

  /**
   * A new pooled client with the given connect and socket timeout. The caller closes it.
   *
   * @param timeout connect and socket timeout
   * @return the client
   */
  public RedisClient newClient(Duration timeout) {
    return newClient(clientConfig(timeout));
  }

  /**
   * A new pooled client whose every connection carries a client name ({@code CLIENT SETNAME}), so that a test
   * can find its connections with {@link #pubSubConnections(String)}. The caller closes it.
   *
   * @param clientName a name without spaces
   * @return the client
   */
  public RedisClient newNamedClient(String clientName) {
    return newClient(clientConfig(DEFAULT_CLIENT_TIMEOUT, clientName));
  }

  private RedisClient newClient(DefaultJedisClientConfig config) {
    return RedisClient.builder()
        .hostAndPort(hostAndPort())
        .clientConfig(config)
        .build();
  }

  /**
   * How many pub/sub connections of one client name this server holds right now
   * ({@code CLIENT LIST TYPE pubsub}).
   *
   * @param clientName the name given to {@link #newNamedClient(String)} (or {@code RedisCluster}'s)
   * @return the number of such connections
   */
  public long pubSubConnections(String clientName) {
    try (Jedis admin = connect()) {
      return admin.clientList(redis.clients.jedis.args.ClientType.PUBSUB).lines()
          .filter(line -> (" " + line + " ").contains(" name=" + clientName + " "))
          .count();
    }
  }

  /**
   * A single connection for administrative commands. The caller closes it.
   *
   * @return a connected {@link Jedis}
   */
  public Jedis connect() {
    return new Jedis(hostAndPort(), clientConfig(Duration.ofSeconds(5)));
  }

  static DefaultJedisClientConfig clientConfig(Duration timeout) {
    return clientConfig(timeout, null);
  }

  static DefaultJedisClientConfig clientConfig(Duration timeout, @Nullable String clientName) {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) timeout.toMillis())
        .socketTimeoutMillis((int) timeout.toMillis())
        .clientName(clientName)
        .build();
  }

  /**
   * This server's command counters ({@code INFO commandstats}).
   *
   * @return calls per command since the server started
   */
  public CommandStats commandStats() {
    return CommandStats.read(hostAndPort());
  }

  /**
   * The operating-system process id.
   *
   * @return the pid of the running process
   */
  public long pid() {
    return process.pid();
  }

  /**
   * Whether the process is alive (a paused process is alive).
   *
   * @return true while the process runs
   */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Waits until this server, a replica, has finished its first full sync with its master
   * ({@code master_link_status:up} and no sync in progress). Until then a failover would promote an empty
   * replica: Redis 7 waits 5 s ({@code repl-diskless-sync-delay}) before the first sync by default.
   *
   * @param atMost how long to wait
   */
  public void awaitReplicaInSync(Duration atMost) {
    await("replica on port " + port + " to finish its first sync").atMost(atMost)
        .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> {
          try (Jedis node = connect()) {
            String info = node.info("replication");
            return info.contains("master_link_status:up") && info.contains("master_sync_in_progress:0");
          }
        });
  }

  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. Undo with {@link #resume()}. */
  public void pause() {
    signal("STOP");
    paused = true;
  }

  /** Thaws a {@linkplain #pause() paused} process (SIGCONT). */
  public void resume() {
    signal("CONT");
    paused = false;
  }

  private void signal(String name) {
    Signals.send(pid(), name);
  }

  /**
   * Makes the server hold back its clients' commands ({@code CLIENT PAUSE}), as a long fork or a failover
   * handshake does. Connections stay open; replies come late.
   *
   * @param duration how long
   * @param writesOnly pause only writes (and scripts that may write), not reads
   */
  public void clientPause(Duration duration, boolean writesOnly) {
    try (Jedis jedis = connect()) {
      jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "PAUSE",
          Long.toString(duration.toMillis()), writesOnly ? "WRITE" : "ALL");
    }
  }

  /** Ends a {@link #clientPause} early ({@code CLIENT UNPAUSE}). */
  public void clientUnpause() {
    try (Jedis jedis = connect()) {
      jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "UNPAUSE");
    }
  }

  /**
   * Blocks the whole server for a while ({@code DEBUG SLEEP}), as a slow command would: it answers nobody
   * until done. Returns once the server has stopped answering; the future completes when it answers again.
   *
   * @param duration how long the server sleeps, to the millisecond
   * @return completes when the sleep is over
   */
  public java.util.concurrent.CompletableFuture<Void> debugSleep(Duration duration) {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
    Thread sleeper = new Thread(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(HOST, port), 2000);
        String seconds = java.math.BigDecimal.valueOf(duration.toMillis(), 3).toPlainString();
        socket.getOutputStream().write(("DEBUG SLEEP " + seconds + "\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        sent.countDown();
        int first = socket.getInputStream().read();
        if (first != '+') {
          throw new IOException("DEBUG SLEEP failed (is DEBUG enabled?): first byte " + (char) first);
        }
        done.complete(null);
      } catch (IOException e) {
        sent.countDown();
        done.completeExceptionally(e);
      }
    }, "debug-sleep-" + port);
    sleeper.setDaemon(true);
    sleeper.start();
    try {
      sent.await(5, TimeUnit.SECONDS);
      // wait until the sleep has begun: a PING then goes unanswered
      while (!done.isDone() && answersPingWithin(20)) {
        Thread.onSpinWait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return done;
  }

  private boolean answersPingWithin(int millis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1000);
      socket.setSoTimeout(millis);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return socket.getInputStream().read() == '+';
    } catch (IOException e) {
      return false;
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would. {@link #restart()} brings it back. */
  public void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly(); // SIGKILL ends a paused process too
      waitForExit(p);
      paused = false;
    }
    RUNNING.remove(this);
  }

  /** Stops the process cleanly ({@code SHUTDOWN NOSAVE}). {@link #restart()} brings it back. */
  public void stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1000);
      socket.getOutputStream().write("SHUTDOWN NOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      try (InputStream in = socket.getInputStream()) {
        in.read(); // the server closes the connection as it exits
      }
    } catch (IOException e) {
      log.debug("SHUTDOWN on port {} did not go through cleanly ({}); killing", port, e.getMessage());
      p.destroyForcibly();
    }
    waitForExit(p);
    RUNNING.remove(this);
  }

  private void waitForExit(Process p) {
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts the server again on the same port, directory and arguments, after {@link #stop()} or {@link #kill()}.
   * A cluster node rejoins its cluster from its nodes.conf; a standalone server comes back empty, unless it was
   * started with an AOF ({@code --appendonly yes}), which it reloads.
   */
  public void restart() {
    if (isRunning()) {
      throw new IllegalStateException("redis-server on port " + port + " is still running");
    }
    launch();
  }

  private void destroy() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  /** Kills the process. */
  @Override
  public void close() {
    kill();
  }

  @Override
  public String toString() {
    return "redis-server " + binary.version() + " on port " + port;
  }
}
