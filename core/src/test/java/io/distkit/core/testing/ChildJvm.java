package io.distkit.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a {@code main} class in a JVM of its own, on this JVM's class path, so a test can crash it
 * ({@link #kill()}: SIGKILL, no shutdown hooks), ask it to shut down ({@link #terminate()}: SIGTERM, shutdown
 * hooks run), freeze it ({@link #pause()}: SIGSTOP, its leases run out
 * while it believes it holds them) and thaw it ({@link #resume()}).
 *
 * <pre>{@code
 * try (ChildJvm worker = ChildJvm.start(LockHolder.class, redis.uri(), "orders")) {
 *   worker.awaitLine(line -> line.startsWith("holding"), Duration.ofSeconds(30));
 *   worker.pause();
 *   ...
 * }
 * }</pre>
 *
 * <p>The child's standard output and error are collected line by line ({@link #output()}). A child main should
 * call {@link #exitWhenParentExits()} first: the child then exits when this JVM closes its standard input, so
 * no child outlives a test JVM that crashed. Every child still running is killed when this JVM exits.
 */
public final class ChildJvm implements AutoCloseable {

  /** Small and quick to start: these children do little work. */
  private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "distkit-child-jvm-reaper"));
  }

  private final String name;
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private volatile boolean paused;

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
    RUNNING.add(process);
    Thread reader = new Thread(this::collect, "child-jvm-output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code main} with the given arguments in a new JVM.
   *
   * @param main a class with a {@code public static void main(String[])}
   * @param args its arguments
   * @return the running child
   */
  public static ChildJvm start(Class<?> main, String... args) {
    return start(DEFAULT_JVM_OPTIONS, main, args);
  }

  /**
   * Starts {@code main} in a new JVM with JVM options of the caller's.
   *
   * @param jvmOptions e.g. {@code -Xmx64m}, {@code -Dkey=value}
   * @param main a class with a {@code public static void main(String[])}
   * @param args its arguments
   * @return the running child
   */
  public static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      return new ChildJvm(main.getSimpleName() + "-" + process.pid(), process);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start a JVM for " + main.getName(), e);
    }
  }

  /**
   * For a child's {@code main}: exits this JVM (without shutdown hooks, like a crash) once the parent closes
   * its standard input, which it does when it exits or {@link #close()}s the child.
   */
  public static void exitWhenParentExits() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // nothing: the parent never writes
        }
      } catch (IOException e) {
        // the pipe broke: the parent is gone
      }
      Runtime.getRuntime().halt(0);
    }, "child-jvm-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void collect() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        output.add(line);
      }
    } catch (IOException e) {
      // the child is gone
    }
  }

  /**
   * Waits for a line of output.
   *
   * @param matches what the line must satisfy
   * @param atMost how long to wait
   * @return the first matching line
   * @throws AssertionError when none comes in time or the child exits first, quoting its output
   */
  public String awaitLine(Predicate<String> matches, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    int seen = 0;
    while (true) {
      List<String> lines = output;
      for (; seen < lines.size(); seen++) {
        if (matches.test(lines.get(seen))) {
          return lines.get(seen);
        }
      }
      if (!process.isAlive() && seen >= output.size()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before printing the line:\n"
            + String.join("\n", output));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(name + " did not print the line within " + atMost + ":\n" + String.join("\n", output));
      }
      try {
        Thread.sleep(5); // polling the child's output: real time must pass here
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /**
   * Everything the child printed so far.
   *
   * @return its lines of standard output and error
   */
  public List<String> output() {
    return List.copyOf(output);
  }

  /**
   * The child's process id.
   *
   * @return the pid
   */
  public long pid() {
    return process.pid();
  }

  /**
   * Whether the child runs (a paused child runs).
   *
   * @return true while alive
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the child at once (SIGKILL): no shutdown hook, no cleanup, as a crash. Waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
    RUNNING.remove(process);
  }

  /**
   * Asks the child to exit (SIGTERM): its shutdown hooks run, as on an orderly shutdown. Does not wait; see
   * {@link #waitFor(Duration)}.
   */
  public void terminate() {
    signal("TERM");
  }

  /** Freezes the child (SIGSTOP): its threads stop, its connections stay open. */
  public void pause() {
    signal("STOP");
    paused = true;
  }

  /** Thaws a {@linkplain #pause() paused} child (SIGCONT). */
  public void resume() {
    signal("CONT");
    paused = false;
  }

  private void signal(String signal) {
    Signals.send(process.pid(), signal);
  }

  /**
   * Waits for the child to exit.
   *
   * @param atMost how long
   * @return its exit code, or -1 if it still runs
   */
  public int waitFor(Duration atMost) {
    try {
      return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Closes the child's standard input (a child that called {@link #exitWhenParentExits()} exits), then kills
   * it if it has not exited within a second.
   */
  @Override
  public void close() {
    if (paused) {
      resume();
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    if (waitFor(Duration.ofSeconds(1)) < 0) {
      kill();
    }
    RUNNING.remove(process);
  }

  @Override
  public String toString() {
    return "ChildJvm[" + name + (process.isAlive() ? (paused ? ", paused" : ", running") : ", exited") + "]";
  }
}
