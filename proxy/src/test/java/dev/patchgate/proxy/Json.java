package dev.patchgate.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal reader for the flat JSON objects of the audit log, for assertions only. */
final class Json {
  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Field name to String, Long, Boolean or null, in the order written. */
  static Map<String, Object> object(String line) {
    Json json = new Json(line);
    Map<String, Object> fields = json.readObject();
    json.skipSpace();
    if (json.pos != line.length()) {
      throw new IllegalArgumentException("trailing text in " + line);
    }
    return fields;
  }

  private Map<String, Object> readObject() {
    expect('{');
    Map<String, Object> fields = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return fields;
    }
    while (true) {
      skipSpace();
      String name = readString();
      skipSpace();
      expect(':');
      skipSpace();
      fields.put(name, readValue());
      skipSpace();
      char c = text.charAt(pos++);
      if (c == '}') {
        return fields;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or } at " + (pos - 1));
      }
    }
  }

  private Object readValue() {
    char c = peek();
    if (c == '"') {
      return readString();
    }
    for (String word : new String[] {"null", "true", "false"}) {
      if (text.startsWith(word, pos)) {
        pos += word.length();
        return word.equals("null") ? null : Boolean.valueOf(word);
      }
    }
    int start = pos;
    while (pos < text.length() && "-0123456789".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("unexpected value at " + pos);
    }
    return Long.parseLong(text.substring(start, pos));
  }

  private String readString() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new IllegalArgumentException("raw control character in string at " + (pos - 1));
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> sb.append(e);
      }
    }
  }

  private void expect(char c) {
    if (text.charAt(pos) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + pos + " in " + text);
    }
    pos++;
  }

  private char peek() {
    return text.charAt(pos);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
