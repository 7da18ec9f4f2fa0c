package io.distkit.examples;

import io.distkit.hashing.Algorithm;
import io.distkit.hashing.BoundedLoadAssignment;
import io.distkit.hashing.LocatorAnalysis;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures every consistent-hashing algorithm of distkit-hashing on a sample of keys and prints markdown
 * tables: memory of the lookup structures, balance (peak-to-mean, standard deviation) and the fraction of keys
 * that move when a node is added or removed. The module README's tables come from this command:
 *
 * <pre>{@code
 * mvn -q -B -DskipTests -pl examples -am package exec:java -Dexec.mainClass=io.distkit.examples.HashingReport
 * mvn ... -Dexec.args="--nodes 100 --keys 1000000 --seed 42"
 * }</pre>
 *
 * <p>Lookup speed is not measured here (see the JMH benchmarks).
 */
public final class HashingReport {

  static final String USAGE = """
      usage: HashingReport [--nodes N] [--keys K] [--seed S]
        --nodes N   nodes before the change (default 10)
        --keys K    keys in the sample (default 1000000)
        --seed S    the sample's random seed (default 42)""";

  private HashingReport() {}

  /**
   * Prints the report.
   *
   * @param args {@code [--nodes N] [--keys K] [--seed S]}
   */
  public static void main(String[] args) {
    int status = run(System.out, args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Prints the report to {@code out}.
   *
   * @param out where to print
   * @param args {@code [--nodes N] [--keys K] [--seed S]}
   * @return 0, or 2 for bad arguments
   */
  static int run(PrintStream out, String... args) {
    int nodes = 10;
    int keys = 1_000_000;
    long seed = 42;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--nodes" -> nodes = parse(value, "--nodes", 2, 10_000);
          case "--keys" -> keys = parse(value, "--keys", 100, 100_000_000);
          case "--seed" -> seed = Long.parseLong(require(value, "--seed"));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
        i++;
      }
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      out.println(USAGE);
      return 2;
    }
    new Measurement(out, nodes, LocatorAnalysis.sampleKeys(keys, seed), seed).print();
    return 0;
  }

  private static String require(String value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static int parse(String value, String option, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(require(value, option));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " (" + value + ") must be a number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(option + " (" + n + ") must be between " + min + " and " + max);
    }
    return n;
  }

  /** One run of the report. */
  private record Measurement(PrintStream out, int n, List<String> keys, long seed) {

    private List<Node> nodes(int count) {
      List<Node> list = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        list.add(Node.of("node-" + i));
      }
      return list;
    }

    void print() {
      out.printf(Locale.ROOT, "# distkit-hashing: balance, movement, memory%n%n");
      out.printf(Locale.ROOT, "%d nodes of weight 1, %,d keys (LocatorAnalysis.sampleKeys(%d, %d)), JDK %s.%n%n",
          n, keys.size(), keys.size(), seed, System.getProperty("java.version"));
      out.println("| algorithm | settings | memory | peak-to-mean | std dev | +1 node: moved | +1 node: its share "
          + "| −1 node: moved | −1 node: its share |");
      out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      List<Node> before = nodes(n);
      String middle = "node-" + n / 3;
      String last = "node-" + (n - 1);
      for (LocatorConfig config : List.of(LocatorConfig.ring(), LocatorConfig.ketama(), LocatorConfig.jump(),
          LocatorConfig.rendezvous(), LocatorConfig.maglev())) {
        NodeLocator<Node> locator = config.locator(before);
        NodeLocator<Node> grown = locator.withNode(Node.of("node-new"));
        LocatorAnalysis.Balance balance = LocatorAnalysis.balance(locator, keys);
        String removal = cells(locator, locator.withoutNode(middle), balance, middle);
        String settings = settings(config, n);
        if (config.algorithm() == Algorithm.JUMP) {
          // jump can only drop its last bucket cheaply: show both cases
          out.printf(Locale.ROOT, "| JUMP | remove the last node | %s | %.3f | %s | %s | %s |%n",
              bytes(locator.tableBytes()), balance.peakToMean(), percent(balance.relativeStdDev()),
              cells(locator, grown, LocatorAnalysis.balance(grown, keys), "node-new"),
              cells(locator, locator.withoutNode(last), balance, last));
          settings = "remove another node";
        }
        out.printf(Locale.ROOT, "| %s | %s | %s | %.3f | %s | %s | %s |%n", config.algorithm(), settings,
            bytes(locator.tableBytes()), balance.peakToMean(), percent(balance.relativeStdDev()),
            cells(locator, grown, LocatorAnalysis.balance(grown, keys), "node-new"), removal);
      }
      for (double c : new double[] {1.1, 1.05}) {
        NodeLocator<Node> ring = LocatorConfig.ring().locator(before);
        NodeLocator<Node> grownRing = ring.withNode(Node.of("node-new"));
        BoundedLoadAssignment<Node> assignment = BoundedLoadAssignment.assign(ring, c, keys);
        BoundedLoadAssignment<Node> grown = assignment.withLocator(grownRing);
        BoundedLoadAssignment<Node> shrunk = assignment.withLocator(ring.withoutNode(middle));
        LocatorAnalysis.Balance balance = LocatorAnalysis.balance(ring.nodes(), keys, assignment::node);
        LocatorAnalysis.Balance grownBalance = LocatorAnalysis.balance(grownRing.nodes(), keys, grown::node);
        out.printf(Locale.ROOT, "| bounded loads | RING, c = %s | %s | %.3f | %s | %s | %s | %s | %s |%n", c,
            bytes(ring.tableBytes() + 16L * keys.size()), balance.peakToMean(), percent(balance.relativeStdDev()),
            percent(LocatorAnalysis.movement(keys, assignment::node, grown::node).fraction()),
            share(grownBalance, "node-new"),
            percent(LocatorAnalysis.movement(keys, assignment::node, shrunk::node).fraction()),
            share(balance, middle));
      }
      out.println();
      out.println("Memory: the locator's lookup arrays (NodeLocator.tableBytes()); bounded loads adds 16 bytes per "
          + "assigned key. Std dev: of each node's load over its fair share. +1 node: node-new is added; "
          + "its share is what it holds afterwards, the least that must move. −1 node: node-" + n / 3
          + " is removed; its share is what it held, the least that must move.");

      out.printf(Locale.ROOT, "%n## Ring balance by virtual nodes (%d nodes)%n%n", Math.max(n, 100));
      out.println("| vnodes per weight | memory | peak-to-mean | std dev | std dev × sqrt(vnodes) |");
      out.println("| ---: | ---: | ---: | ---: | ---: |");
      List<Node> many = nodes(Math.max(n, 100));
      for (int vnodes : new int[] {10, 40, 160, 640}) {
        NodeLocator<Node> ring = LocatorConfig.builder(Algorithm.RING).vnodesPerWeight(vnodes).build().locator(many);
        LocatorAnalysis.Balance balance = LocatorAnalysis.balance(ring, keys);
        out.printf(Locale.ROOT, "| %d | %s | %.3f | %s | %.2f |%n", vnodes, bytes(ring.tableBytes()),
            balance.peakToMean(), percent(balance.relativeStdDev()),
            balance.relativeStdDev() * Math.sqrt(vnodes));
      }
      out.println();
      out.printf(Locale.ROOT, "(The sample adds noise of about %s per node: sqrt(nodes / keys).)%n",
          percent(Math.sqrt((double) many.size() / keys.size())));

      out.printf(Locale.ROOT, "%n## Maglev balance by table size (%d nodes)%n%n", many.size());
      out.println("| table size M | M / nodes | memory | peak-to-mean | std dev |");
      out.println("| ---: | ---: | ---: | ---: | ---: |");
      for (int m : new int[] {1_009, 10_007, 65_537}) {
        NodeLocator<Node> maglev = LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(m).build().locator(many);
        LocatorAnalysis.Balance balance = LocatorAnalysis.balance(maglev, keys);
        out.printf(Locale.ROOT, "| %,d | %d | %s | %.3f | %s |%n", m, m / many.size(), bytes(maglev.tableBytes()),
            balance.peakToMean(), percent(balance.relativeStdDev()));
      }

      out.printf(Locale.ROOT, "%n## Maglev movement by node count (default table size)%n%n");
      maglevMovementHeader();
      for (int count : new int[] {10, 100, 300, 655, 1_000, 2_000}) {
        maglevMovementRow(LocatorConfig.maglev(), count);
      }
      out.printf(Locale.ROOT, "%n## Maglev movement by node count, table sized for the group "
          + "(maglevTableSizeFor)%n%n");
      maglevMovementHeader();
      for (int count : new int[] {1_000, 2_000}) {
        maglevMovementRow(LocatorConfig.builder(Algorithm.MAGLEV)
            .maglevTableSize(LocatorConfig.maglevTableSizeFor(count)).build(), count);
      }
      out.printf(Locale.ROOT, "%n## Maglev movement at 1,000 nodes by table size%n%n");
      maglevMovementHeader();
      for (int m : new int[] {65_537, 131_101, 1_048_583, 4_194_319}) {
        maglevMovementRow(LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(m).build(), 1_000);
      }
      out.println();
      out.println("× is moved / share: 1.00 when exactly the keys that had to move did.");
    }

    private void maglevMovementHeader() {
      out.println("| nodes | table size M | M / nodes | +1 node: moved | its share | × | −1 node: moved | its share "
          + "| × |");
      out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    }

    /** Adds node-new, removes node-(count/3): moved against the changed node's share. */
    private void maglevMovementRow(LocatorConfig config, int count) {
      NodeLocator<Node> locator = config.locator(nodes(count));
      NodeLocator<Node> grown = locator.withNode(Node.of("node-new"));
      String removed = "node-" + count / 3;
      double addMoved = LocatorAnalysis.movement(locator, grown, keys).fraction();
      double addShare = (double) LocatorAnalysis.balance(grown, keys).loads().get("node-new") / keys.size();
      double removeMoved = LocatorAnalysis.movement(locator, locator.withoutNode(removed), keys).fraction();
      double removeShare = (double) LocatorAnalysis.balance(locator, keys).loads().get(removed) / keys.size();
      int m = config.maglevTableSize();
      out.printf(Locale.ROOT, "| %,d | %,d | %,d | %s | %s | %.2f | %s | %s | %.2f |%n", count, m, m / count,
          percent(addMoved), percent(addShare), addMoved / addShare, percent(removeMoved), percent(removeShare),
          removeMoved / removeShare);
    }

    /** "moved | the changed node's share": equal when only the keys that had to move did. */
    private String cells(NodeLocator<Node> from, NodeLocator<Node> to, LocatorAnalysis.Balance owner, String node) {
      return percent(LocatorAnalysis.movement(from, to, keys).fraction()) + " | " + share(owner, node);
    }

    private String share(LocatorAnalysis.Balance balance, String node) {
      return percent((double) balance.loads().get(node) / balance.keys());
    }

    private static String settings(LocatorConfig config, int nodes) {
      return switch (config.algorithm()) {
        case RING -> config.vnodesPerWeight() + " vnodes per weight";
        case KETAMA -> "libmemcached weighted ketama";
        case MAGLEV -> "M = " + config.maglevTableSize();
        default -> "";
      };
    }

    private static String percent(double fraction) {
      return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static String bytes(long bytes) {
      if (bytes < 1024) {
        return bytes + " B";
      }
      if (bytes < 1024 * 1024) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
      }
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
  }
}
