package io.distkit.core.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.HostAndPort;

/**
 * Per-command call counts from {@code INFO commandstats}, to check how many commands an operation sends.
 *
 * <pre>{@code
 * CommandStats before = server.commandStats();
 * limiter.tryAcquire("k");
 * assertThat(server.commandStats().minus(before).total()).isEqualTo(1);
 * }</pre>
 *
 * <p>Command names are lowercase as Redis reports them; Redis 7 reports subcommands separately
 * ({@code script|load}), Redis 6.2 does not ({@code script}).
 *
 * @param calls calls per command name
 */
public record CommandStats(Map<String, Long> calls) {

  /** Copies the map. */
  public CommandStats {
    calls = Map.copyOf(calls);
  }

  /**
   * Reads a server's counters over a raw connection, so that reading sends nothing but {@code INFO} (a Jedis
   * connection would add its own handshake commands to the counts).
   */
  static CommandStats read(HostAndPort server) {
    Map<String, Long> calls = new HashMap<>();
    for (String line : info(server).split("\r?\n")) {
      // cmdstat_evalsha:calls=3,usec=41,usec_per_call=13.67,...
      if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        String fields = line.substring(line.indexOf(':') + 1);
        for (String field : fields.split(",")) {
          if (field.startsWith("calls=")) {
            calls.put(name, Long.parseLong(field.substring("calls=".length())));
          }
        }
      }
    }
    return new CommandStats(calls);
  }

  private static String info(HostAndPort server) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 2000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      // a bulk string: $<length>\r\n<bytes>\r\n
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed while reading INFO");
        }
        header.write(b);
      }
      String head = header.toString(StandardCharsets.US_ASCII).trim();
      if (!head.startsWith("$")) {
        throw new IOException("unexpected INFO reply: " + head);
      }
      byte[] body = new byte[Integer.parseInt(head.substring(1))];
      in.readFully(body);
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read INFO commandstats from " + server, e);
    }
  }

  /**
   * Calls of one command.
   *
   * @param command e.g. {@code "evalsha"}
   * @return its calls, 0 if never called
   */
  public long calls(String command) {
    return calls.getOrDefault(command, 0L);
  }

  /**
   * All calls, except the {@code info} commands used to read these stats.
   *
   * @return the sum over commands
   */
  public long total() {
    return calls.entrySet().stream().filter(e -> !e.getKey().equals("info")).mapToLong(Map.Entry::getValue).sum();
  }

  /**
   * The calls made since {@code earlier}.
   *
   * @param earlier stats read before
   * @return per-command differences, commands without new calls left out
   */
  public CommandStats minus(CommandStats earlier) {
    Map<String, Long> diff = new TreeMap<>();
    calls.forEach((name, count) -> {
      long delta = count - earlier.calls(name);
      if (delta != 0) {
        diff.put(name, delta);
      }
    });
    return new CommandStats(diff);
  }

  /**
   * Sums two sets of stats, e.g. over the nodes of a cluster.
   *
   * @param other more stats
   * @return per-command sums
   */
  public CommandStats plus(CommandStats other) {
    Map<String, Long> sum = new TreeMap<>(calls);
    other.calls.forEach((name, count) -> sum.merge(name, count, Long::sum));
    return new CommandStats(sum);
  }

  @Override
  public String toString() {
    return new TreeMap<>(calls).toString();
  }
}
