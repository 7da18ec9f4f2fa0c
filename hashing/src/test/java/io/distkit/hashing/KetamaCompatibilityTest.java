package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * KETAMA maps keys exactly as libmemcached's weighted ketama does, on libmemcached's own published vectors.
 */
class KetamaCompatibilityTest {

  private record Vector(String key, long hash, String server) {}

  /** libmemcached's test servers: 10.0.1.1 to 10.0.1.8 on the default port 11211, so the id is the host. */
  private static final List<Node> SERVERS = List.of(
      Node.of("10.0.1.1", 600), Node.of("10.0.1.2", 300), Node.of("10.0.1.3", 200), Node.of("10.0.1.4", 350),
      Node.of("10.0.1.5", 1000), Node.of("10.0.1.6", 800), Node.of("10.0.1.7", 950), Node.of("10.0.1.8", 100));

  private static List<Vector> vectors() throws IOException {
    List<Vector> vectors = new ArrayList<>();
    try (InputStream in = Objects.requireNonNull(
            KetamaCompatibilityTest.class.getResourceAsStream("ketama_libmemcached_vectors.tsv"));
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.startsWith("#")) {
          String[] fields = line.split("\t");
          vectors.add(new Vector(fields[0], Long.parseLong(fields[1]), fields[2]));
        }
      }
    }
    return vectors;
  }

  @Test
  void mapsAllNinetyNinePublishedKeysToLibmemcachedsServer() throws IOException {
    NodeLocator<Node> ketama = LocatorConfig.ketama().locator(SERVERS);
    List<Vector> vectors = vectors();
    assertThat(vectors).hasSize(99);
    for (Vector v : vectors) {
      assertThat(ketama.hash(v.key())).as("MD5 key hash of %s", v.key()).isEqualTo(v.hash());
      assertThat(ketama.locate(v.key()).nodeId()).as("server of %s", v.key()).isEqualTo(v.server());
    }
  }

  @Test
  void aHashAfterTheLastPointWrapsToTheFirst() {
    // libmemcached's own boundary check: "VDEAAAAA hashes to fffcd1b5, after the last continuum point"
    RingLocator<Node> ketama = (RingLocator<Node>) LocatorConfig.ketama().<Node>locator(SERVERS);
    long hash = ketama.hash("VDEAAAAA");
    assertThat(hash).isEqualTo(0xfffcd1b5L);
    assertThat(ketama.points[ketama.points.length - 1]).isLessThan(hash);
    assertThat(ketama.nodeIndex(hash)).isEqualTo(ketama.owners[0]);
  }

  @Test
  void givesEachServerLibmemcachedsPointCount() {
    RingLocator<Node> ketama = (RingLocator<Node>) LocatorConfig.ketama().<Node>locator(SERVERS);
    // floor(weight / 4300 × 160 / 4 × 8) × 4, e.g. 1000 → floor(74.42) × 4 = 296
    int[] perServer = new int[SERVERS.size()];
    for (int owner : ketama.owners) {
      perServer[owner]++;
    }
    assertThat(perServer).containsExactly(176, 88, 56, 104, 296, 236, 280, 28);
  }

  @Test
  void aServerWithoutPointsStillServesAsAReplica() {
    // issue 12, item 2: libmemcached gives "light" no point (floor(1 / 1000001 × 40 × 2) = 0), so it is never a
    // primary; the contract still promises min(count, size()) distinct nodes
    NodeLocator<Node> ketama = LocatorConfig.ketama()
        .locator(List.of(Node.of("heavy", 1_000_000), Node.of("light", 1)));
    assertThat(ketama.locate("k", 2)).extracting(Node::nodeId).containsExactly("heavy", "light");
    assertThat(ketama.locate("k").nodeId()).isEqualTo("heavy");
    // several point-less servers come after the ring's, in id order, whatever order they were given in
    List<Node> crowd = new ArrayList<>(List.of(Node.of("z-light", 1), Node.of("heavy", 1_000_000),
        Node.of("b-light", 1), Node.of("m-light", 1)));
    assertThat(LocatorConfig.ketama().locator(crowd).locate("k", 4)).extracting(Node::nodeId)
        .containsExactly("heavy", "b-light", "m-light", "z-light");
  }
}
