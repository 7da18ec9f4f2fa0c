package io.distkit.hashing;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Algorithm#JUMP}: node {@code i} is bucket {@code i}. No table; the key's hash seeds the jump.
 */
final class JumpLocator<N extends Node> extends AbstractLocator<N> {

  /** Replica picks that land on a taken bucket are redrawn; after this many draws per pick, scan instead. */
  private static final int DRAWS_PER_PICK = 32;

  JumpLocator(LocatorConfig config, List<N> nodes) {
    super(config, nodes, Xxh3Hasher.INSTANCE);
  }

  @Override
  int index(long hash) {
    return JumpHash.bucket(hash, ids.length);
  }

  @Override
  int indices(long hash, int[] into) {
    int wanted = Math.min(into.length, ids.length);
    into[0] = JumpHash.bucket(hash, ids.length);
    int found = 1;
    // each replica is the jump of a re-mixed hash, so replicas move as little as the primary does when the
    // bucket count changes
    long draw = hash;
    int draws = 0;
    while (found < wanted && draws < DRAWS_PER_PICK * wanted) {
      draw = Mix.mix64(draw + 0x9e3779b97f4a7c15L);
      draws++;
      int bucket = JumpHash.bucket(draw, ids.length);
      if (!contains(into, found, bucket)) {
        into[found++] = bucket;
      }
    }
    // only when almost every bucket is wanted: take the remaining ones in order
    for (int b = 0; found < wanted && b < ids.length; b++) {
      if (!contains(into, found, b)) {
        into[found++] = b;
      }
    }
    return found;
  }

  /** Only the last bucket can go: any other node is replaced by the last one, which takes its bucket. */
  @Override
  List<N> without(int at) {
    List<N> next = new ArrayList<>(nodes);
    N last = next.remove(next.size() - 1);
    if (at < next.size()) {
      next.set(at, last);
    }
    return next;
  }

  @Override
  public long tableBytes() {
    return 0;
  }
}
