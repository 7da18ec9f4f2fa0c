package io.distkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.session.FencingToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCheckersTest {

  @Test
  void aFencedRegisterAcceptsEqualOrNewerTokensAndCountsStaleWrites() {
    FencedRegister<String> register = new FencedRegister<>();
    assertThat(register.write(new FencingToken(10), "a")).isTrue();
    assertThat(register.write(new FencingToken(10), "a again")).as("the same holder writes again").isTrue();
    assertThat(register.write(new FencingToken(12), "b")).isTrue();
    assertThat(register.write(new FencingToken(11), "late")).isFalse();
    assertThat(register.value()).isEqualTo("b");
    assertThat(register.highestToken()).isEqualTo(new FencingToken(12));
    assertThat(register.staleWrites()).isEqualTo(1);
    assertThat(register.rejected()).extracting(FencedRegister.Write::value).containsExactly("late");
    assertThat(register.accepted()).hasSize(3);
  }

  @Test
  void theQueueCheckerFindsLostDuplicatedAndUnexpectedJobs() {
    QueueChecker checker = new QueueChecker();
    for (String id : List.of("j1", "j2", "j3", "j4")) {
      checker.enqueued(id);
    }
    checker.delivered("j1");
    checker.delivered("j2");
    checker.delivered("j2");
    checker.delivered("j4");
    checker.delivered("ghost");
    QueueChecker.Report report = checker.check();
    assertThat(report.enqueued()).isEqualTo(4);
    assertThat(report.lost()).containsExactly("j3");
    assertThat(report.duplicated()).isEqualTo(Map.of("j2", 2));
    assertThat(report.unexpected()).containsExactly("ghost");
    assertThat(report.duplicatesOutside(Set.of("j2"))).isEmpty();
    assertThat(report.isClean()).isFalse();
  }

  @Test
  void holdHistoriesFindOverlapsAndTokensOutOfOrder() {
    HoldHistory clean = new HoldHistory();
    clean.record(new HoldHistory.Hold("a", new FencingToken(1), 0, 10));
    clean.record(new HoldHistory.Hold("b", new FencingToken(2), 10, 20));
    clean.record(new HoldHistory.Hold("a", new FencingToken(5), 25, 30));
    assertThat(clean.check()).isEmpty();

    HoldHistory broken = new HoldHistory();
    broken.record(new HoldHistory.Hold("a", new FencingToken(3), 0, 10));
    broken.record(new HoldHistory.Hold("b", new FencingToken(2), 5, 20)); // overlaps a, and an older token
    assertThat(broken.check()).extracting(HoldHistory.Violation::kind).containsExactly("overlap", "token order");
  }

  @Test
  void historiesCrossProcessesThroughAFileAndATornLastLineIsSkipped(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("queue.history");
    try (HistoryFile writer = HistoryFile.append(file)) {
      writer.record("enqueue", "j1");
      writer.record("deliver", "j1");
      HoldHistory.Hold hold = new HoldHistory.Hold("worker-1", new FencingToken(7), 100, 200);
      writer.record(hold.fields());
    }
    Files.writeString(file, "deliver\tj", java.nio.file.StandardOpenOption.APPEND); // a writer killed mid-line
    List<List<String>> events = HistoryFile.read(file);
    assertThat(events).hasSize(3);
    QueueChecker checker = new QueueChecker();
    checker.record(events.subList(0, 2));
    assertThat(checker.check().isClean()).isTrue();
    assertThat(HoldHistory.Hold.of(events.get(2))).isEqualTo(new HoldHistory.Hold("worker-1", new FencingToken(7), 100,
        200));
    assertThatThrownBy(() -> checker.record(List.of(List.of("what", "x")))).isInstanceOf(IllegalArgumentException.class);
  }
}
