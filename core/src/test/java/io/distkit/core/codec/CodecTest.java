package io.distkit.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecTest {

  record Port(int number) {
    static Port parse(String text) {
      return new Port(Integer.parseInt(text));
    }

    String text() {
      return Integer.toString(number);
    }
  }

  @Test
  void asMapsATypeOntoAnotherCodecAndBack() {
    Codec<Port> ports = Codec.utf8().as(Port::parse, Port::text);
    byte[] bytes = ports.encode(new Port(6379));
    assertThat(bytes).isEqualTo("6379".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(ports.decode(bytes)).isEqualTo(new Port(6379));
    assertThat(ports.versioned(1).decode(ports.versioned(1).encode(new Port(1)))).isEqualTo(new Port(1));
  }

  @Test
  void asTurnsFailuresOfTheFunctionsIntoCodecExceptions() {
    Codec<Port> ports = Codec.utf8().as(Port::parse, Port::text);
    assertThatThrownBy(() -> ports.decode("http".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(CodecException.class).hasMessageContaining("Cannot decode 4 bytes")
        .hasCauseInstanceOf(NumberFormatException.class);
    Codec<Port> nulls = Codec.utf8().as(t -> null, p -> null);
    assertThatThrownBy(() -> nulls.encode(new Port(1))).isInstanceOf(CodecException.class)
        .hasMessageContaining("maps to null");
    assertThatThrownBy(() -> nulls.decode(new byte[] {'1'})).isInstanceOf(CodecException.class)
        .hasMessageContaining("maps to null");
    assertThatThrownBy(() -> Codec.utf8().as(null, Port::text)).isInstanceOf(NullPointerException.class)
        .hasMessage("decoded");
  }

  @Test
  void utf8RoundTripsAnyValidText() {
    for (String text : List.of("", "plain", "héllo wörld", "日本語", "emoji 😀 pair", "real \uFFFD replacement")) {
      byte[] bytes = Codec.utf8().encode(text);
      assertThat(bytes).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
      assertThat(Codec.utf8().decode(bytes)).isEqualTo(text);
    }
  }

  @Test
  void utf8RefusesUnpairedSurrogatesInsteadOfWritingQuestionMarks() {
    assertThatThrownBy(() -> Codec.utf8().encode("bad \uD83D end"))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unpaired surrogate U+D83D at index 4");
    assertThatThrownBy(() -> Codec.utf8().encode("\uDE00"))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("U+DE00 at index 0");
  }

  @Test
  void utf8RefusesMalformedBytes() {
    byte[] malformed = {'a', (byte) 0xff, 'b'};
    assertThatThrownBy(() -> Codec.utf8().decode(malformed))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("3 bytes [61 ff 62]");
  }

  @Test
  void bytesAreTakenAsTheyAre() {
    byte[] value = {1, 2, 3};
    assertThat(Codec.bytes().encode(value)).isSameAs(value);
    assertThat(Codec.bytes().decode(value)).isSameAs(value);
  }

  @Test
  void longsAreDecimalAsciiSoRedisCanCountWithThem() {
    assertThat(Codec.longs().encode(42L)).isEqualTo("42".getBytes(StandardCharsets.US_ASCII));
    Random random = new Random(7);
    for (long value : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong(), random.nextLong()}) {
      assertThat(Codec.longs().decode(Codec.longs().encode(value))).isEqualTo(value);
    }
  }

  @Test
  void longsRejectAnythingButDigitsNamingTheBytes() {
    for (String bad : List.of("", "+1", "1.5", " 1", "abc", "99999999999999999999", "٣")) {
      assertThatThrownBy(() -> Codec.longs().decode(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("as a long");
    }
    assertThatThrownBy(() -> Codec.longs().decode("12x".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("3 bytes [31 32 78]");
  }

  @Test
  void codecsRejectNullValues() {
    assertThatThrownBy(() -> Codec.utf8().encode(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Codec.longs().encode(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Codec.bytes().encode(null)).isInstanceOf(NullPointerException.class);
  }
}
