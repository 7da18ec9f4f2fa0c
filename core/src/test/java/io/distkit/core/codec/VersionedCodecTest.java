package io.distkit.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionedCodecTest {

  /** Version 1 stored a count as decimal text; version 2 stores it as 8 big-endian bytes. */
  private static final Codec<Long> V1 = Codec.longs();
  private static final Codec<Long> V2 = new Codec<>() {
    @Override
    public byte[] encode(Long value) {
      return java.nio.ByteBuffer.allocate(8).putLong(value).array();
    }

    @Override
    public Long decode(byte[] bytes) {
      if (bytes.length != 8) {
        throw new CodecException("expected 8 bytes, got " + bytes.length, null);
      }
      return java.nio.ByteBuffer.wrap(bytes).getLong();
    }
  };

  @Test
  void theFirstByteIsTheVersionAndTheRestTheWrappedEncoding() {
    VersionedCodec<String> codec = Codec.utf8().versioned(1);
    byte[] stored = codec.encode("héllo");
    assertThat(stored[0]).isEqualTo((byte) 1);
    assertThat(new String(stored, 1, stored.length - 1, StandardCharsets.UTF_8)).isEqualTo("héllo");
    assertThat(codec.decode(stored)).isEqualTo("héllo");
    assertThat(VersionedCodec.versionOf(stored)).isEqualTo(1);
    assertThat(codec.decode(codec.encode(""))).isEmpty();
  }

  @Test
  void aNewReleaseWritesTheNewFormatAndStillReadsTheOld() {
    VersionedCodec<Long> v1 = V1.versioned(1);
    VersionedCodec<Long> v2 = VersionedCodec.of(2, V2).alsoReads(1, V1);
    byte[] old = v1.encode(42L);
    assertThat(v2.decode(old)).isEqualTo(42L);
    byte[] fresh = v2.encode(42L);
    assertThat(fresh).hasSize(9).startsWith(2);
    assertThat(v2.decode(fresh)).isEqualTo(42L);
  }

  @Test
  void anOldReleaseRecognisesANewerFormatInsteadOfMisreadingIt() {
    VersionedCodec<Long> v1 = V1.versioned(1);
    byte[] newer = VersionedCodec.of(2, V1).encode(42L); // same payload bytes: only the version tells them apart
    assertThatThrownBy(() -> v1.decode(newer))
        .isInstanceOfSatisfying(UnknownFormatException.class, e -> assertThat(e.version()).isEqualTo(2))
        .hasMessageContaining("format version 2 is newer than this code, which writes version 1 (reads [1])");
    byte[] ancient = {7, '4', '2'};
    VersionedCodec<Long> v9 = VersionedCodec.of(9, V1).alsoReads(8, V1);
    assertThatThrownBy(() -> v9.decode(ancient))
        .isInstanceOf(UnknownFormatException.class)
        .hasMessageContaining("format version 7 is not among the versions this code reads (reads [8, 9])");
  }

  @Test
  void emptyOrUnversionedBytesAreACodecError() {
    VersionedCodec<String> codec = Codec.utf8().versioned(1);
    assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(CodecException.class)
        .hasMessageContaining("starts with its format version");
    assertThatThrownBy(() -> VersionedCodec.versionOf(new byte[] {0, 1})).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> codec.decode(new byte[] {0, 'x'})).isInstanceOf(UnknownFormatException.class);
  }

  @Test
  void versionsOutsideOneTo255AreRefused() {
    assertThatThrownBy(() -> Codec.utf8().versioned(0)).hasMessage("version (0) must be 1 to 255");
    assertThatThrownBy(() -> Codec.utf8().versioned(256)).hasMessage("version (256) must be 1 to 255");
    assertThatThrownBy(() -> Codec.utf8().versioned(3).alsoReads(3, Codec.utf8()))
        .hasMessageContaining("is the version this codec writes");
  }
}
