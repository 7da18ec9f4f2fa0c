import io.distkit.core.redis.LuaPrelude;
import io.distkit.core.redis.RedisScript;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.Bandwidth;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.internal.CompiledLimit;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis time per rate-limit decision: each case's script is sent {@code --calls} times on one hot key, pipelined
 * on one connection (like {@code redis-cli --pipe}), to a redis-server of its own; then {@code INFO commandstats}
 * gives {@code usec_per_call} of {@code EVALSHA} and {@code INFO cpu} the server main thread's CPU per call, which
 * other processes on a busy machine disturb less. Cases and variants are interleaved, round after round, and
 * medians reported, with each variant's median difference to the first variant of the same round.
 *
 * <p>Run by {@code ratelimit/scripts/script-time.sh}, which builds the classes this reads: the scripts are
 * composed by core's {@link RedisScript} exactly as {@code RedisLimiter} composes them, and the arguments are
 * the ones the limiter sends ({@link CompiledLimit}). {@code --baseline REV} measures the scripts of a git
 * revision beside this tree's, with the same arguments, composed as they were before core's preludes (each
 * script's resources concatenated: how revisions up to 32b42ec, issue 11, ran them).
 */
public final class ScriptTime {

  private static final String SERVER = System.getenv().getOrDefault("DISTKIT_REDIS_SERVER", "redis-server");

  record Case(String name, String script, List<byte[]> args) {}

  public static void main(String[] argv) throws Exception {
    int rounds = 15;
    int calls = 100_000;
    String baseline = null;
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--rounds" -> rounds = Integer.parseInt(argv[++i]);
        case "--calls" -> calls = Integer.parseInt(argv[++i]);
        case "--baseline" -> baseline = argv[++i];
        default -> throw new IllegalArgumentException("usage: [--rounds N] [--calls N] [--baseline git-revision]");
      }
    }
    List<LuaPrelude> time = List.of(LuaPrelude.TIME); // as RedisLimiter composes its scripts
    Map<String, String> scripts = new LinkedHashMap<>(); // "<variant>|<script>" -> Lua
    scripts.put("this tree|one", RedisScript.fromResources(time, RedisRateLimiter.class, "one_bandwidth.lua")
        .source());
    scripts.put("this tree|gcra", RedisScript.fromResources(time, RedisRateLimiter.class, "prelude.lua",
        "deficit.lua", "gcra.lua").source());
    List<String> variants = new ArrayList<>();
    if (baseline != null) {
      variants.add(baseline);
      scripts.put(baseline + "|one", gitShow(baseline, "one_bandwidth.lua"));
      scripts.put(baseline + "|gcra", gitShow(baseline, "prelude.lua", "deficit.lua", "gcra.lua"));
    }
    variants.add("this tree");
    RateLimit admit = RateLimit.of(Algorithm.GCRA, Bandwidth.perSecond(1_000_000_000)); // every call granted
    RateLimit deny = RateLimit.of(Algorithm.GCRA, Bandwidth.perSecond(1_000)); // nearly every call denied
    RateLimit bucket = RateLimit.of(Algorithm.TOKEN_BUCKET, Bandwidth.perSecond(1_000_000_000));
    RateLimit two = RateLimit.builder(Algorithm.GCRA).bandwidth(Bandwidth.perSecond(1_000_000_000))
        .bandwidth(Bandwidth.perHour(1_000_000_000_000L)).build();
    List<Case> cases = List.of(
        one("token bucket, 1 bandwidth, tryConsume, granted", bucket, false),
        one("GCRA, 1 bandwidth, tryConsume, granted", admit, false),
        one("GCRA, 1 bandwidth, tryAcquire, granted", admit, true),
        one("GCRA, 1 bandwidth, tryConsume, denied", deny, false),
        general("GCRA, 2 bandwidths (general script), granted", two));

    Path dir = Files.createTempDirectory("distkit-script-time");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Process server = new ProcessBuilder(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile()).start();
    try (Resp redis = Resp.connect(port)) {
      String version = info(redis, "server").get("redis_version");
      Map<String, String> shas = new LinkedHashMap<>();
      for (Map.Entry<String, String> s : scripts.entrySet()) {
        shas.put(s.getKey(), (String) redis.call("SCRIPT", "LOAD", s.getValue()));
      }
      Map<String, List<double[]>> results = new LinkedHashMap<>(); // "case|variant" -> per round {usec, cpu}
      for (int round = 0; round < rounds; round++) {
        for (Case c : cases) {
          for (String variant : variants) {
            String sha = shas.get(variant + "|" + c.script());
            results.computeIfAbsent(c.name() + "|" + variant, k -> new ArrayList<>()).add(run(redis, sha, c, calls));
          }
        }
      }
      System.out.printf("Redis %s, %d rounds of %,d EVALSHA per case on one hot key (pipelined, one connection)%n",
          version, rounds, calls);
      System.out.printf("%-46s %-10s %14s %16s%n", "case", "script", "usec_per_call", "CPU µs per call");
      for (Case c : cases) {
        List<double[]> first = null;
        for (String variant : variants) {
          List<double[]> r = results.get(c.name() + "|" + variant);
          if (r == null) {
            continue;
          }
          String diff = "";
          if (first == null) {
            first = r;
          } else {
            diff = String.format("  (vs %s: %+.2f / %+.2f)", variants.get(0), medianDiff(r, first, 0),
                medianDiff(r, first, 1));
          }
          System.out.printf("%-46s %-10s %14.2f %16.2f%s%n", c.name(), variant, median(r, 0), median(r, 1), diff);
        }
      }
      redis.call("SHUTDOWN", "NOSAVE");
    } catch (IOException expectedAtShutdown) {
      // SHUTDOWN closes the connection without a reply
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /** The resources of a revision, each followed by a newline, as {@code RedisScript.fromResources} joins them. */
  private static String gitShow(String revision, String... resources) throws IOException, InterruptedException {
    StringBuilder lua = new StringBuilder();
    for (String resource : resources) {
      Process git = new ProcessBuilder("git", "show",
          revision + ":ratelimit/src/main/resources/io/distkit/ratelimit/redis/" + resource).start();
      String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (git.waitFor() != 0) {
        throw new IllegalArgumentException("git show " + revision + ":.../" + resource + " failed");
      }
      lua.append(text).append('\n');
    }
    return lua.toString();
  }

  private static Case one(String name, RateLimit limit, boolean decision) {
    byte[] packed = CompiledLimit.of(limit).oneBandwidthArg(decision);
    return new Case(name, "one", List.of(new byte[0], ascii("1"), packed));
  }

  private static Case general(String name, RateLimit limit) {
    List<byte[]> args = new ArrayList<>(List.of(new byte[0], ascii("1")));
    args.addAll(CompiledLimit.of(limit).scriptArgs());
    return new Case(name, "gcra", args);
  }

  /** One run: {usec_per_call, main-thread CPU µs per call}. */
  private static double[] run(Resp redis, String sha, Case c, int calls) throws IOException {
    redis.call("FLUSHALL");
    redis.call("CONFIG", "RESETSTAT");
    double cpuBefore = cpu(redis);
    List<byte[]> command = new ArrayList<>(List.of(ascii("EVALSHA"), ascii(sha), ascii("1"),
        ascii("{hot}:" + c.name().hashCode())));
    command.addAll(c.args());
    byte[] encoded = Resp.encode(command);
    int batch = 1000;
    for (int sent = 0; sent < calls; sent += batch) {
      int n = Math.min(batch, calls - sent);
      for (int i = 0; i < n; i++) {
        redis.out.write(encoded);
      }
      redis.out.flush();
      for (int i = 0; i < n; i++) {
        Object reply = redis.read();
        if (reply instanceof Resp.Error e) {
          throw new IllegalStateException(c.name() + ": " + e.message());
        }
      }
    }
    double cpu = (cpu(redis) - cpuBefore) * 1e6 / calls;
    String stats = info(redis, "commandstats").get("cmdstat_evalsha");
    double usec = Double.parseDouble(stats.replaceAll(".*usec_per_call=([0-9.]+).*", "$1"));
    return new double[] {usec, cpu};
  }

  private static double cpu(Resp redis) throws IOException {
    Map<String, String> cpu = info(redis, "cpu");
    return Double.parseDouble(cpu.get("used_cpu_sys_main_thread"))
        + Double.parseDouble(cpu.get("used_cpu_user_main_thread"));
  }

  private static Map<String, String> info(Resp redis, String section) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : ((String) redis.call("INFO", section)).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  private static double median(List<double[]> runs, int field) {
    double[] values = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private static double medianDiff(List<double[]> runs, List<double[]> reference, int field) {
    List<double[]> diffs = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      diffs.add(new double[] {runs.get(i)[field] - reference.get(i)[field]});
    }
    return median(diffs, 0);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Just enough of the Redis protocol for this tool. */
  static final class Resp implements AutoCloseable {
    record Error(String message) {}

    private final Socket socket;
    final OutputStream out;
    private final InputStream in;

    private Resp(Socket socket) throws IOException {
      this.socket = socket;
      this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    static Resp connect(int port) throws InterruptedException {
      for (int attempt = 0; ; attempt++) {
        try {
          Resp resp = new Resp(new Socket("127.0.0.1", port));
          resp.call("PING");
          return resp;
        } catch (IOException notYet) {
          if (attempt == 100) {
            throw new IllegalStateException("redis-server (" + SERVER + ") did not start on port " + port);
          }
          Thread.sleep(50);
        }
      }
    }

    static byte[] encode(List<byte[]> parts) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      buffer.writeBytes(ascii("*" + parts.size() + "\r\n"));
      for (byte[] part : parts) {
        buffer.writeBytes(ascii("$" + part.length + "\r\n"));
        buffer.writeBytes(part);
        buffer.writeBytes(ascii("\r\n"));
      }
      return buffer.toByteArray();
    }

    Object call(String... parts) throws IOException {
      out.write(encode(Arrays.stream(parts).map(p -> p.getBytes(StandardCharsets.UTF_8)).toList()));
      out.flush();
      Object reply = read();
      if (reply instanceof Error e) {
        throw new IllegalStateException(String.join(" ", parts[0]) + ": " + e.message());
      }
      return reply;
    }

    Object read() throws IOException {
      int type = in.read();
      String line = line();
      return switch (type) {
        case '+' -> line;
        case '-' -> new Error(line);
        case ':' -> Long.parseLong(line);
        case '$' -> {
          int length = Integer.parseInt(line);
          if (length < 0) {
            yield null;
          }
          byte[] bytes = in.readNBytes(length + 2);
          yield new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
        case '*' -> {
          int count = Integer.parseInt(line);
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            items.add(read());
          }
          yield items;
        }
        default -> throw new IOException("unexpected reply type " + type);
      };
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != '\r') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        line.append((char) c);
      }
      in.read(); // '\n'
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
