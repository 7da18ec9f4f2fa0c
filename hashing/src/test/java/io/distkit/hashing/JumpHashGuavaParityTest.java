package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Jump hash returns exactly what Guava's {@code Hashing.consistentHash} returns for the same inputs. */
class JumpHashGuavaParityTest {

  @Test
  void agreesWithGuavaOnRandomKeysAndBucketCounts() {
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 200_000; i++) {
      long key = random.nextLong();
      // mostly realistic cluster sizes, sometimes huge ones (deep jumps)
      int buckets = i % 10 == 0 ? 1 + random.nextInt(Integer.MAX_VALUE - 1) : 1 + random.nextInt(5_000);
      assertThat(JumpHash.bucket(key, buckets)).as("key %s, %s buckets", key, buckets)
          .isEqualTo(Hashing.consistentHash(key, buckets));
    }
  }

  @Test
  void agreesWithGuavaOnEdgeInputs() {
    long[] keys = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x5555555555555555L, 42};
    int[] buckets = {1, 2, 3, 7, 1 << 16, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
    for (long key : keys) {
      for (int n : buckets) {
        assertThat(JumpHash.bucket(key, n)).as("key %s, %s buckets", key, n)
            .isEqualTo(Hashing.consistentHash(key, n));
      }
    }
  }

  @Test
  void theJumpLocatorIsGuavaOverTheKeysHashAndNamesBucketsByPosition() {
    List<Node> shards = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      shards.add(Node.of("shard-" + i));
    }
    NodeLocator<Node> jump = LocatorConfig.jump().locator(shards);
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 20_000; i++) {
      long key = random.nextLong();
      int bucket = Hashing.consistentHash(jump.hash(key), shards.size());
      assertThat(jump.nodeIndex(jump.hash(key))).isEqualTo(bucket);
      assertThat(jump.locate(key)).isEqualTo(shards.get(bucket));
    }
  }
}
