package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocatorHolderTest {

  @Test
  void concurrentUpdatesAreAllAppliedAndReadersSeeWholeSnapshots() throws Exception {
    LocatorHolder<Node> holder = LocatorHolder.of(LocatorConfig.rendezvous().locator(List.of(Node.of("seed"))));
    int writers = 4;
    int perWriter = 50;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perWriter; i++) {
            String id = "w" + writer + "-" + i;
            holder.update(locator -> locator.withNode(Node.of(id)));
          }
          return null;
        }));
      }
      Future<?> reader = pool.submit(() -> {
        start.await();
        for (int i = 0; i < 2_000; i++) {
          NodeLocator<Node> snapshot = holder.current();
          // a snapshot is whole: every key lands on one of its own nodes
          assertThat(snapshot.nodes()).contains(snapshot.locate("key-" + i));
        }
        return null;
      });
      start.countDown();
      for (Future<?> f : done) {
        f.get(1, TimeUnit.MINUTES);
      }
      reader.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    assertThat(holder.current().size()).isEqualTo(1 + writers * perWriter);
    NodeLocator<Node> old = holder.set(LocatorConfig.jump().locator(List.of(Node.of("x"))));
    assertThat(old.size()).isEqualTo(1 + writers * perWriter);
    assertThat(holder.locate("any").nodeId()).isEqualTo("x");
  }
}
