package io.distkit.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.session.FencingToken;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FencedResourceTest {

  private final FencedResource resource = new FencedResource();
  private final List<Long> written = new ArrayList<>();

  private boolean write(long token) {
    return resource.write(new FencingToken(token), () -> written.add(token));
  }

  @Test
  void acceptsTheNewestTokenAndItsHolderAgainAndRefusesOlderOnes() {
    assertThat(resource.newest()).isNull();
    assertThat(write(5)).isTrue();
    assertThat(write(5)).as("the same holder writes again").isTrue();
    assertThat(write(7)).isTrue();
    assertThat(write(6)).as("a holder that lost the lock to token 7").isFalse();
    assertThat(write(1)).isFalse();
    assertThat(written).containsExactly(5L, 5L, 7L);
    assertThat(resource.newest()).isEqualTo(new FencingToken(7));
    assertThat(resource.rejected()).isEqualTo(2);
  }

  @Test
  void aWriteThatThrowsStillRecordsItsTokenAndTheExceptionReachesTheCaller() {
    assertThatThrownBy(() -> resource.write(new FencingToken(3), () -> {
      throw new IllegalStateException("disk full");
    })).hasMessage("disk full");
    assertThat(write(2)).as("token 3 was seen").isFalse();
  }

  @Test
  void aListenerHearsEachRefusalWithTheTokenThatWon() {
    List<String> heard = new ArrayList<>();
    FencedResource told = new FencedResource(new LockListener() {
      @Override
      public void onFencingRejected(FencingToken rejected, FencingToken newest) {
        heard.add(rejected.value() + " < " + newest.value());
      }
    });
    assertThat(told.write(new FencingToken(9), () -> {})).isTrue();
    assertThat(told.write(new FencingToken(4), () -> {})).isFalse();
    assertThat(heard).containsExactly("4 < 9");
  }

  @Test
  void nullsAreNamed() {
    assertThatThrownBy(() -> resource.write(null, () -> {})).hasMessageContaining("token");
    assertThatThrownBy(() -> resource.write(new FencingToken(1), null)).hasMessageContaining("write");
  }
}
