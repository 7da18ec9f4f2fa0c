package io.distkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {

  interface Events {
    void on(String event);
  }

  @Test
  void deliversEvents() {
    List<String> seen = new ArrayList<>();
    Events listener = seen::add;
    Listeners.notify(listener, "on", l -> l.on("hello"));
    assertThat(seen).containsExactly("hello");
  }

  @Test
  void swallowsWhatTheListenerThrows() {
    Events listener = event -> {
      throw new IllegalStateException("bug in " + event);
    };
    Listeners.notify(listener, "on", l -> l.on("hello"));
    Events asserting = event -> {
      throw new AssertionError("assert in listener");
    };
    Listeners.notify(asserting, "on", l -> l.on("hello"));
  }

  @Test
  void requireNamesTheBadValue() {
    assertThatThrownBy(() -> Require.positive(0, "permits")).hasMessage("permits (0) must be positive");
    assertThatThrownBy(() -> Require.positive(-5, "capacity")).hasMessage("capacity (-5) must be positive");
    assertThatThrownBy(() -> Require.nonBlank("", "key")).hasMessage("key ('') must not be blank");
    assertThatThrownBy(() -> Require.nonBlank(null, "key"))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThat(Require.positiveNanos(Duration.ofSeconds(1), "period")).isEqualTo(1_000_000_000L);
    assertThat(Require.positiveNanos(Duration.ofDays(365L * 1000), "period")).isEqualTo(Long.MAX_VALUE);
    assertThat(Require.saturatedNanos(Duration.ofDays(-365L * 1000))).isEqualTo(Long.MIN_VALUE);
  }
}
