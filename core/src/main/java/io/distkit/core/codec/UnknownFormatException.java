package io.distkit.core.codec;

/**
 * Stored bytes carry a format version this code does not read: written by a newer release of distkit (or of
 * the application's codec), or by one so old that its format is no longer supported. The value is recognised
 * as such, never guessed at.
 */
public class UnknownFormatException extends CodecException {

  /** The version byte found. */
  private final int version;

  /**
   * Creates the exception.
   *
   * @param message which version was found and which are readable
   * @param version the version byte found, 0 to 255
   */
  public UnknownFormatException(String message, int version) {
    super(message, null);
    this.version = version;
  }

  /**
   * The version the stored value declares.
   *
   * @return its first byte, 0 to 255
   */
  public int version() {
    return version;
  }
}
