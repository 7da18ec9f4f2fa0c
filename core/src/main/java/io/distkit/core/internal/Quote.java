package io.distkit.core.internal;

/**
 * Renders a caller's value for an error message: quoted, on one line, and short.
 *
 * <p>Control characters, line and paragraph separators and unpaired surrogates are written as Java escapes
 * ({@code \n}, {@code \t}, {@code \u0000}, {@code \uD800}), so a value holding a newline cannot split a log
 * line and an invisible character is visible. Values longer than {@value #SHOWN_CHARS} characters are cut, with
 * an ellipsis and the full length. Not API.
 */
public final class Quote {

  /** How many characters of a value a message shows. */
  public static final int SHOWN_CHARS = 40;

  private Quote() {}

  /**
   * The value in single quotes, escaped and cut as described above.
   *
   * @param value any text (null gives {@code null}, unquoted)
   * @return e.g. {@code 'user\n42'} or {@code 'xxxxx...' (2000 chars)}
   */
  public static String of(String value) {
    if (value == null) {
      return "null";
    }
    int shown = Math.min(value.length(), SHOWN_CHARS);
    if (shown < value.length() && Character.isHighSurrogate(value.charAt(shown - 1))) {
      shown--; // do not cut a pair in two
    }
    StringBuilder out = new StringBuilder(shown + 16).append('\'');
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (needsEscape(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('\'');
    if (shown < value.length()) {
      out.insert(out.length() - 1, "...").append(" (").append(value.length()).append(" chars)");
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    return Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029';
  }
}
