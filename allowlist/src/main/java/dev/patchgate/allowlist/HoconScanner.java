package dev.patchgate.allowlist;

/**
 * HOCON's tokens, as far as {@link DuplicateKeys} needs them, with one token of push-back: quoted
 * and triple-quoted strings, unquoted strings, comments, substitutions, brackets and separators.
 *
 * <p>It runs only on text Typesafe Config has already accepted, and throws {@link GiveUp} at
 * anything it does not model, so its caller can stop and keep what it found. Not thread-safe; one
 * per text.
 */
final class HoconScanner {
  /** What a token is; {@code EOF} ends the text, and repeats if asked again. */
  enum Kind {
    OPEN_BRACE,
    CLOSE_BRACE,
    OPEN_BRACKET,
    CLOSE_BRACKET,
    COMMA,
    COLON,
    EQUALS,
    PLUS_EQUALS,
    NEWLINE,
    QUOTED,
    UNQUOTED,
    SUBSTITUTION,
    EOF
  }

  /**
   * One token: its kind, its text (a string's value, unescaped), its line, and whether white space
   * came before it (it joins the parts of a key).
   */
  static final class Token {
    final Kind kind;
    final String text;
    final int line;
    final boolean spaceBefore;

    Token(Kind kind, String text, int line, boolean spaceBefore) {
      this.kind = kind;
      this.text = text;
      this.line = line;
      this.spaceBefore = spaceBefore;
    }
  }

  /** Thrown to stop scanning at anything the scanner does not model. */
  static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super(null, null, false, false);
    }
  }

  /** Characters that end an unquoted string (HOCON's forbidden characters and whitespace). */
  private static final String FORBIDDEN = "$\"{}[]:=,+#`^?!@*&\\";

  private final String text;
  private int pos;
  private int line = 1;
  private Token pushedBack;

  HoconScanner(String text) {
    this.text = text;
  }

  boolean startsWithBrace() {
    Token first = nextSkipping(Kind.NEWLINE);
    if (first.kind == Kind.OPEN_BRACE) {
      return true;
    }
    pushBack(first);
    return false;
  }

  void pushBack(Token token) {
    if (pushedBack != null) {
      throw new GiveUp();
    }
    pushedBack = token;
  }

  Token nextSkipping(Kind skipped) {
    Token token = next();
    while (token.kind == skipped) {
      token = next();
    }
    return token;
  }

  Token nextSkipping(Kind skipped, Kind alsoSkipped) {
    Token token = next();
    while (token.kind == skipped || token.kind == alsoSkipped) {
      token = next();
    }
    return token;
  }

  /** True when the next token is a key separator, so "include" is a key, not a directive. */
  boolean peekIsSeparator() {
    Token next = next();
    pushBack(next);
    return next.kind == Kind.EQUALS
        || next.kind == Kind.COLON
        || next.kind == Kind.PLUS_EQUALS
        || next.kind == Kind.OPEN_BRACE;
  }

  void skipLine() {
    Token token = next();
    while (token.kind != Kind.NEWLINE && token.kind != Kind.EOF) {
      token = next();
    }
  }

  Token next() {
    if (pushedBack != null) {
      Token token = pushedBack;
      pushedBack = null;
      return token;
    }
    boolean space = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        return new Token(Kind.NEWLINE, "\n", line++, space);
      }
      if (c == '#' || text.startsWith("//", pos)) {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
        continue;
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF') {
        pos++;
        space = true;
        continue;
      }
      int at = line;
      Kind mark = punctuation(c);
      if (mark != null) {
        pos++;
        return new Token(mark, String.valueOf(c), at, space);
      }
      switch (c) {
        case '+':
          if (text.startsWith("+=", pos)) {
            pos += 2;
            return new Token(Kind.PLUS_EQUALS, "+=", at, space);
          }
          throw new GiveUp();
        case '"':
          return new Token(Kind.QUOTED, quoted(), at, space);
        case '$':
          if (text.startsWith("${", pos)) {
            int close = text.indexOf('}', pos);
            if (close < 0) {
              throw new GiveUp();
            }
            pos = close + 1;
            return new Token(Kind.SUBSTITUTION, "", at, space);
          }
          throw new GiveUp();
        default:
          if (FORBIDDEN.indexOf(c) >= 0) {
            throw new GiveUp();
          }
          return new Token(Kind.UNQUOTED, unquoted(), at, space);
      }
    }
    return new Token(Kind.EOF, "", line, space);
  }

  /** The token a one-character punctuation mark makes, or null for any other character. */
  private static Kind punctuation(char c) {
    return switch (c) {
      case '{' -> Kind.OPEN_BRACE;
      case '}' -> Kind.CLOSE_BRACE;
      case '[' -> Kind.OPEN_BRACKET;
      case ']' -> Kind.CLOSE_BRACKET;
      case ',' -> Kind.COMMA;
      case ':' -> Kind.COLON;
      case '=' -> Kind.EQUALS;
      default -> null;
    };
  }

  private String unquoted() {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)
          || Character.isSpaceChar(c)
          || c == '\uFEFF'
          || FORBIDDEN.indexOf(c) >= 0
          || text.startsWith("//", pos)) {
        break;
      }
      pos++;
    }
    return text.substring(start, pos);
  }

  /** The character a backslash-u escape (four hex digits) at {@code pos} stands for. */
  private char unicodeEscape() {
    if (pos + 6 > text.length()) {
      throw new GiveUp();
    }
    int value = 0;
    for (int i = pos + 2; i < pos + 6; i++) {
      int digit = Character.digit(text.charAt(i), 16);
      if (digit < 0) {
        throw new GiveUp();
      }
      value = value << 4 | digit;
    }
    return (char) value;
  }

  private String quoted() {
    if (text.startsWith("\"\"\"", pos)) {
      int close = text.indexOf("\"\"\"", pos + 3);
      if (close < 0) {
        throw new GiveUp();
      }
      // Quotes right before the closing three belong to the string.
      while (text.startsWith("\"\"\"\"", close)) {
        close++;
      }
      String body = text.substring(pos + 3, close);
      line += (int) body.chars().filter(ch -> ch == '\n').count();
      pos = close + 3;
      return body;
    }
    StringBuilder value = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return value.toString();
      }
      if (c == '\n') {
        throw new GiveUp();
      }
      if (c == '\\' && pos + 1 < text.length()) {
        char escaped = text.charAt(pos + 1);
        if (escaped == 'u') {
          value.append(unicodeEscape());
          pos += 6;
          continue;
        }
        value.append(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped);
        pos += 2;
        continue;
      }
      value.append(c);
      pos++;
    }
    throw new GiveUp();
  }
}
