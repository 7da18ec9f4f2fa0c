package io.distkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the tests' redis-server comes from, and what happens when there is none. */
class RedisBinaryTest {

  @Test
  void noBinaryAnywhereFailsWithInstructionsInsteadOfSkipping() {
    assertThatThrownBy(() -> RedisBinary.search(Map.of("PATH", ""), name -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No usable redis-server")
        .hasMessageContaining("apt-get install redis-server")
        .hasMessageContaining(RedisBinary.ENV)
        .hasMessageContaining("embedded-redis")
        .hasMessageContaining("never skip");
  }

  @Test
  void anExplicitBinaryThatDoesNotWorkIsAnErrorNotAFallback(@TempDir Path dir) {
    String missing = dir.resolve("no-such-redis-server").toString();
    assertThatThrownBy(() -> RedisBinary.search(Map.of(RedisBinary.ENV, missing), name -> null))
        .hasMessageStartingWith(RedisBinary.ENV + "=" + missing + " is not a working redis-server");
  }

  @Test
  void aBinaryOlderThan62IsPassedOver(@TempDir Path dir) throws IOException {
    Path old = dir.resolve("redis-server");
    Files.writeString(old, "#!/bin/sh\necho 'Redis server v=5.0.7 sha=00000000:0 malloc=libc bits=64'\n");
    assertThat(old.toFile().setExecutable(true)).isTrue();
    assertThatThrownBy(() -> RedisBinary.search(Map.of("PATH", dir.toString()), name -> null))
        .hasMessageContaining("version v=5.0.7 is older than 6.2");
  }

  @Test
  void aBinaryOnThePathIsPreferredOverTheEmbeddedOne(@TempDir Path dir) throws IOException {
    Path fake = dir.resolve("redis-server");
    Files.writeString(fake, "#!/bin/sh\necho 'Redis server v=7.2.4 sha=00000000:0 malloc=libc bits=64'\n");
    assertThat(fake.toFile().setExecutable(true)).isTrue();
    RedisBinary found = RedisBinary.search(Map.of("PATH", dir.toString()), name -> {
      throw new AssertionError("the embedded binary must not be consulted");
    });
    assertThat(found.path()).isEqualTo(fake);
    assertThat(found.origin()).isEqualTo("PATH");
    assertThat(found.version()).isEqualTo("7.2.4");
  }

  @Test
  void withNothingOnThePathTheEmbeddedBinaryIsExtractedAndRuns() {
    RedisBinary found = RedisBinary.search(Map.of("PATH", ""),
        name -> RedisBinary.class.getResourceAsStream("/" + name));
    assertThat(found.origin()).isEqualTo("embedded-redis test dependency");
    assertThat(Files.isExecutable(found.path())).isTrue();
    assertThat(found.version()).startsWith("6.2.");
  }
}
