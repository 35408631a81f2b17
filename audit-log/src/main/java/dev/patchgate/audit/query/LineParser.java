package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one audit line straight from its UTF-8 bytes: a flat JSON object whose values are {@code
 * String}, {@code Long}, {@code Boolean} or {@code null}.
 *
 * <p>It accepts what {@link dev.patchgate.audit.AuditJsonReader} accepts and rejects the same
 * faults (raw control characters in strings, duplicate names, nested values, whitespace, trailing
 * input, unknown escapes), and is a little stricter where that reader is lenient by accident
 * (non-ASCII digits, signs inside a {@code \}{@code u} escape). It exists because the audit tools
 * parse millions of lines: it works on bytes, copies an ASCII string without decoding it, and
 * allocates only the values. Stateless and thread-safe.
 */
final class LineParser {
  private static final String[] KNOWN_NAMES = knownNames();

  private final byte[] b;
  private final int start;
  private final int end;
  private int pos;
  private int nextName;

  private LineParser(byte[] bytes, int from, int to) {
    this.b = bytes;
    this.start = from;
    this.pos = from;
    this.end = to;
  }

  /**
   * Parses the object that must span all of {@code bytes[from, to)}.
   *
   * @throws IllegalArgumentException saying what is wrong and at which byte offset of the line
   */
  static Map<String, Object> parse(byte[] bytes, int from, int to) {
    LineParser p = new LineParser(bytes, from, to);
    Map<String, Object> object = p.object();
    if (p.pos != to) {
      throw p.error("trailing input");
    }
    return object;
  }

  private Map<String, Object> object() {
    expect('{');
    Map<String, Object> fields = new LinkedHashMap<>(32);
    if (peek() == '}') {
      pos++;
      return fields;
    }
    while (true) {
      String name = name();
      expect(':');
      Object value = value();
      int size = fields.size();
      fields.put(name, value);
      if (fields.size() == size) {
        throw error("duplicate name " + name);
      }
      byte c = next();
      if (c == '}') {
        return fields;
      }
      if (c != ',') {
        throw error("expected , or }");
      }
    }
  }

  /**
   * A field name: one of the names every line has is returned as the same String instance each
   * time, so its hash is computed once, not once per line.
   */
  private String name() {
    if (pos < end && b[pos] == '"') {
      // Lines list the names in the same order, so the one after the last found comes first.
      for (int tried = 0; tried < KNOWN_NAMES.length; tried++) {
        int i = (nextName + tried) % KNOWN_NAMES.length;
        String known = KNOWN_NAMES[i];
        int n = known.length();
        if (pos + n + 1 < end && b[pos + n + 1] == '"' && sameAscii(known, pos + 1)) {
          pos += n + 2;
          nextName = i + 1;
          return known;
        }
      }
    }
    return string();
  }

  private boolean sameAscii(String known, int at) {
    for (int i = 0; i < known.length(); i++) {
      if (b[at + i] != known.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private Object value() {
    byte c = peek();
    if (c == '"') {
      return string();
    }
    if (c == 'n' && matches("null")) {
      pos += 4;
      return null;
    }
    if (c == 't' && matches("true")) {
      pos += 4;
      return Boolean.TRUE;
    }
    if (c == 'f' && matches("false")) {
      pos += 5;
      return Boolean.FALSE;
    }
    boolean negative = c == '-';
    if (negative) {
      pos++;
    }
    int digitsStart = pos;
    long value = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      int digit = b[pos] - '0';
      if (value > (Long.MAX_VALUE - digit) / 10) {
        // One beyond MAX_VALUE is MIN_VALUE's magnitude; let the library decide that edge.
        return parseLongSlowly(digitsStart, negative);
      }
      value = value * 10 + digit;
      pos++;
    }
    if (pos == digitsStart) {
      throw error("expected a value");
    }
    return negative ? -value : value;
  }

  private Long parseLongSlowly(int digitsStart, boolean negative) {
    int from = negative ? digitsStart - 1 : digitsStart;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    try {
      return Long.parseLong(new String(b, from, pos - from, StandardCharsets.ISO_8859_1));
    } catch (NumberFormatException e) {
      throw error("number out of range");
    }
  }

  private String string() {
    expect('"');
    int from = pos;
    boolean ascii = true;
    while (true) {
      if (pos >= end) {
        throw error("unexpected end");
      }
      byte c = b[pos];
      if (c == '"') {
        String s =
            new String(
                b, from, pos - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        pos++;
        return s;
      }
      if (c == '\\') {
        return escapedString(from);
      }
      if (c >= 0 && c < 0x20) {
        throw error("raw control character in string");
      }
      if (c < 0) {
        ascii = false;
      }
      pos++;
    }
  }

  /** The rare slow path: a string with escapes, decoded piece by piece. */
  private String escapedString(int from) {
    StringBuilder out = new StringBuilder(pos - from + 16);
    int run = from;
    while (true) {
      if (pos >= end) {
        throw error("unexpected end");
      }
      byte c = b[pos];
      if (c == '"') {
        out.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
        pos++;
        return out.toString();
      }
      if (c >= 0 && c < 0x20) {
        throw error("raw control character in string");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      out.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
      pos++;
      if (pos >= end) {
        throw error("unexpected end");
      }
      byte e = b[pos++];
      switch (e) {
        case '"', '\\', '/' -> out.append((char) e);
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> out.append(hex4());
        default -> throw error("unknown escape \\" + (char) (e & 0xff));
      }
      run = pos;
    }
  }

  private char hex4() {
    if (pos + 4 > end) {
      throw error("short \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(b[pos + i], 16);
      if (digit < 0) {
        throw error("bad \\u escape");
      }
      value = value * 16 + digit;
    }
    pos += 4;
    return (char) value;
  }

  private boolean matches(String literal) {
    if (pos + literal.length() > end) {
      return false;
    }
    for (int i = 0; i < literal.length(); i++) {
      if (b[pos + i] != literal.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected " + c);
    }
  }

  private byte peek() {
    if (pos >= end) {
      throw error("unexpected end");
    }
    return b[pos];
  }

  private byte next() {
    byte c = peek();
    pos++;
    return c;
  }

  private static String[] knownNames() {
    List<String> names = new ArrayList<>(AuditFields.IN_ORDER);
    names.addAll(AuditFields.SUMMARY_IN_ORDER);
    names.addAll(List.of(AuditFields.USER, AuditFields.SEQ, AuditFields.HASH, AuditFields.TYPE));
    // Interned, so that a name a caller passes as a constant is the very same instance.
    return names.stream().map(String::intern).toArray(String[]::new);
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at byte " + (pos - start));
  }
}
