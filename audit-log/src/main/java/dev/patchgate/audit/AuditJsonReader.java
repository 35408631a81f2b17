package dev.patchgate.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back one audit line: the flat JSON object {@link AuditJson} writes.
 *
 * <p>Values are {@code String}, {@code Long}, {@code Boolean} or {@code null}. It is deliberately
 * strict and rejects what a lenient parser would let slip: raw control characters inside strings,
 * duplicate names, nested values, trailing input, unknown escapes. Names keep their order.
 * Stateless and thread-safe.
 */
public final class AuditJsonReader {
  private final String text;
  private int pos;

  private AuditJsonReader(String text) {
    this.text = text;
  }

  /**
   * Parses one object that must span all of {@code text}.
   *
   * @throws IllegalArgumentException naming the position when {@code text} is not such an object
   */
  public static Map<String, Object> readObject(String text) {
    AuditJsonReader reader = new AuditJsonReader(text);
    Map<String, Object> object = reader.object();
    if (reader.pos != text.length()) {
      throw reader.error("trailing input");
    }
    return object;
  }

  private Map<String, Object> object() {
    expect('{');
    Map<String, Object> fields = new LinkedHashMap<>();
    if (peek() == '}') {
      pos++;
      return fields;
    }
    while (true) {
      String name = string();
      expect(':');
      Object value = value();
      if (fields.containsKey(name)) {
        throw error("duplicate name " + name);
      }
      fields.put(name, value);
      char c = next();
      if (c == '}') {
        return fields;
      }
      if (c != ',') {
        throw error("expected , or }");
      }
    }
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (text.startsWith("null", pos)) {
      pos += 4;
      return null;
    }
    if (text.startsWith("true", pos)) {
      pos += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("false", pos)) {
      pos += 5;
      return Boolean.FALSE;
    }
    int start = pos;
    if (c == '-') {
      pos++;
    }
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a value");
    }
    return Long.parseLong(text.substring(start, pos));
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("raw control character in string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("short \\u escape");
          }
          out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw error("unknown escape \\" + e);
      }
    }
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected " + c);
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + pos + " in: " + text);
  }
}
