package dev.patchgate.audit;

/**
 * Appends one flat JSON object to a {@link StringBuilder}, field by field, in call order.
 *
 * <p>Strings are escaped so that no value can end the line, close the string early or smuggle a
 * terminal control sequence: besides what JSON requires ({@code "}, {@code \}, U+0000..U+001F) it
 * escapes DEL, the C1 controls (U+0080..U+009F, which include the one-byte CSI U+009B), U+2028 and
 * U+2029 (line breaks to JavaScript and to some log viewers), the bidirectional formatting
 * characters (which make a viewer show text in another order than it was logged) and lone
 * surrogates (which have no UTF-8 encoding and would otherwise be written as {@code ?}). Everything
 * escaped reads back as the same string, so the record stays faithful.
 *
 * <p>Not thread-safe; one builder per object.
 */
final class JsonObjectBuilder {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out;
  private boolean empty = true;

  JsonObjectBuilder(StringBuilder out) {
    this.out = out;
    out.append('{');
  }

  /** Adds {@code "name":"value"}, or {@code "name":null} when {@code value} is {@code null}. */
  JsonObjectBuilder string(String name, String value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      appendQuoted(out, value);
    }
    return this;
  }

  /** Adds {@code "name":value} as a plain integer. */
  JsonObjectBuilder number(String name, long value) {
    name(name);
    out.append(value);
    return this;
  }

  /** Adds {@code "name":value} as a plain integer, or {@code "name":null}. */
  JsonObjectBuilder number(String name, Integer value) {
    return number(name, value == null ? null : Long.valueOf(value));
  }

  /** Adds {@code "name":value} as a plain integer, or {@code "name":null}. */
  JsonObjectBuilder number(String name, Long value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      out.append(value.longValue());
    }
    return this;
  }

  /** Adds {@code "name":true} or {@code "name":false}. */
  JsonObjectBuilder bool(String name, boolean value) {
    name(name);
    out.append(value);
    return this;
  }

  /** The text appended so far: the object without its closing brace until {@link #end}. */
  @Override
  public String toString() {
    return out.toString();
  }

  /** Closes the object; the builder must not be used afterwards. */
  void end() {
    out.append('}');
  }

  private void name(String name) {
    if (!empty) {
      out.append(',');
    }
    empty = false;
    appendQuoted(out, name);
    out.append(':');
  }

  /** Appends {@code s} as a quoted JSON string, escaped as described in the class comment. */
  static void appendQuoted(StringBuilder out, String s) {
    out.append('"');
    int runStart = 0;
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!needsEscape(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a well-formed pair: copy it as it is
        continue;
      }
      out.append(s, runStart, i);
      appendEscape(out, c);
      runStart = i + 1;
    }
    out.append(s, runStart, length);
    out.append('"');
  }

  private static boolean needsEscape(char c) {
    if (c >= 0x20 && c < 0x7f) {
      return c == '"' || c == '\\';
    }
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || Character.isSurrogate(c);
  }

  private static void appendEscape(StringBuilder out, char c) {
    switch (c) {
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      default ->
          out.append("\\u")
              .append(HEX[(c >> 12) & 0xf])
              .append(HEX[(c >> 8) & 0xf])
              .append(HEX[(c >> 4) & 0xf])
              .append(HEX[c & 0xf]);
    }
  }
}
