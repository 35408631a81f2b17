package dev.patchgate.allowlist;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds what HOCON would merge or overwrite without a word: an entry or a client group defined
 * twice, or one key set twice in an entry or at the top.
 *
 * <p>Typesafe Config's parsed tree has already merged them, so this reads the raw text with a small
 * scanner that knows HOCON's tokens (quoted and triple-quoted strings, comments, substitutions,
 * brackets, separators) and the nesting of keys, dotted keys included ({@code entries.a.hosts =
 * [...]} defines entry {@code a}), and nothing else. It runs only on text Typesafe Config has
 * already accepted; on anything it does not understand it stops and returns what it found, so it
 * can miss a duplicate but never invent one.
 */
final class DuplicateKeys {
  /** The two object keys whose members are named blocks. */
  private static final Set<String> BLOCKS =
      Set.of(AllowlistReader.ENTRIES, AllowlistReader.CLIENTS);

  /**
   * One definition that repeats an earlier one.
   *
   * @param path the repeated key: {@code [entries, a]}, {@code [clients, g]}, {@code [entries, a,
   *     hosts]} or a top-level {@code [time-zone]}
   * @param firstLine the line of the first definition
   * @param line the line of this one
   */
  record Duplicate(List<String> path, int firstLine, int line) {}

  private final Scanner scanner;

  /** First lines of definitions, by path joined with NUL (cheaper to hash than a list). */
  private final Map<String, Integer> blocks = new HashMap<>();

  private final Map<String, Integer> leaves = new HashMap<>();
  private final List<Duplicate> blockDuplicates = new ArrayList<>();
  private final List<Duplicate> leafDuplicates = new ArrayList<>();

  private DuplicateKeys(String text) {
    this.scanner = new Scanner(text);
  }

  /** Every repeated definition in the text, in file order; empty when there are none. */
  static List<Duplicate> find(String text) {
    DuplicateKeys keys = new DuplicateKeys(text);
    try {
      keys.objectBody(List.of(), keys.scanner.startsWithBrace());
    } catch (GiveUp e) {
      // Something this scanner does not model; what was found so far is still right.
    }
    Set<List<String>> repeatedBlocks = new HashSet<>();
    for (Duplicate d : keys.blockDuplicates) {
      repeatedBlocks.add(d.path());
    }
    List<Duplicate> result = new ArrayList<>(keys.blockDuplicates);
    for (Duplicate d : keys.leafDuplicates) {
      // A key repeated only because its whole entry is repeated is one mistake, reported once.
      if (d.path().size() < 2 || !repeatedBlocks.contains(d.path().subList(0, 2))) {
        result.add(d);
      }
    }
    result.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return result;
  }

  /** Fields up to the closing brace (when braced) or the end of the text. */
  private void objectBody(List<String> prefix, boolean braced) {
    while (true) {
      Token token = scanner.nextSkipping(Kind.NEWLINE, Kind.COMMA);
      if (token.kind == Kind.EOF) {
        if (braced) {
          throw new GiveUp();
        }
        return;
      }
      if (token.kind == Kind.CLOSE_BRACE) {
        if (!braced) {
          throw new GiveUp();
        }
        return;
      }
      if (token.kind == Kind.UNQUOTED
          && token.text.equals("include")
          && !scanner.peekIsSeparator()) {
        scanner.skipLine();
        continue;
      }
      field(prefix, token);
    }
  }

  private void field(List<String> prefix, Token first) {
    List<String> key = key(first);
    List<String> path = new ArrayList<>(prefix);
    path.addAll(key);
    Token separator = scanner.next();
    boolean object = separator.kind == Kind.OPEN_BRACE;
    boolean append = separator.kind == Kind.PLUS_EQUALS;
    if (!object) {
      if (separator.kind != Kind.EQUALS && separator.kind != Kind.COLON && !append) {
        throw new GiveUp();
      }
      Token value = scanner.nextSkipping(Kind.NEWLINE);
      object = value.kind == Kind.OPEN_BRACE;
      scanner.pushBack(value);
    } else {
      scanner.pushBack(separator);
    }
    define(prefix.size(), path, first.line, object || append);
    value(path);
  }

  private void define(int prefixSize, List<String> path, int line, boolean mergeable) {
    // A field that reaches from outside a block into one of its members defines that member.
    if (prefixSize < 2 && path.size() >= 2 && BLOCKS.contains(path.get(0))) {
      List<String> block = path.subList(0, 2);
      Integer first = blocks.putIfAbsent(String.join("\0", block), line);
      if (first != null) {
        blockDuplicates.add(new Duplicate(List.copyOf(block), first, line));
      }
    }
    boolean entryKey = path.size() == 3 && path.get(0).equals(AllowlistReader.ENTRIES);
    if (!mergeable && (path.size() == 1 || entryKey)) {
      Integer first = leaves.putIfAbsent(String.join("\0", path), line);
      if (first != null) {
        leafDuplicates.add(new Duplicate(List.copyOf(path), first, line));
      }
    }
  }

  /** A value and whatever is concatenated to it on the same line. */
  private void value(List<String> path) {
    Token token = scanner.nextSkipping(Kind.NEWLINE);
    while (true) {
      switch (token.kind) {
        case OPEN_BRACE:
          objectBody(path, true);
          break;
        case OPEN_BRACKET:
          array();
          break;
        case QUOTED:
        case UNQUOTED:
        case SUBSTITUTION:
          break;
        case NEWLINE:
        case COMMA:
          return;
        case CLOSE_BRACE:
        case EOF:
          scanner.pushBack(token);
          return;
        default:
          throw new GiveUp();
      }
      token = scanner.next();
    }
  }

  private void array() {
    while (true) {
      Token token = scanner.nextSkipping(Kind.NEWLINE, Kind.COMMA);
      switch (token.kind) {
        case CLOSE_BRACKET:
          return;
        case OPEN_BRACE:
          // Objects inside arrays are not keyed: under "[]" their keys never count as definitions.
          objectBody(List.of("[]"), true);
          break;
        case OPEN_BRACKET:
          array();
          break;
        case QUOTED:
        case UNQUOTED:
        case SUBSTITUTION:
          break;
        default:
          throw new GiveUp();
      }
    }
  }

  /** A key path: unquoted parts split at dots, quoted parts kept whole, adjacent parts joined. */
  private List<String> key(Token first) {
    List<String> path = new ArrayList<>();
    StringBuilder element = new StringBuilder();
    Token token = first;
    while (true) {
      if (token.kind == Kind.QUOTED) {
        element.append(token.text);
      } else if (token.kind == Kind.UNQUOTED) {
        String[] parts = token.text.split("\\.", -1);
        element.append(parts[0]);
        for (int i = 1; i < parts.length; i++) {
          path.add(element.toString());
          element.setLength(0);
          element.append(parts[i]);
        }
      } else {
        throw new GiveUp();
      }
      Token next = scanner.next();
      if (next.kind != Kind.QUOTED && next.kind != Kind.UNQUOTED) {
        scanner.pushBack(next);
        break;
      }
      if (next.spaceBefore) {
        element.append(' ');
      }
      token = next;
    }
    path.add(element.toString());
    return path;
  }

  private enum Kind {
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

  private static final class Token {
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
  private static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super(null, null, false, false);
    }
  }

  /** HOCON's tokens, with one token of push-back. */
  private static final class Scanner {
    /** Characters that end an unquoted string (HOCON's forbidden characters and whitespace). */
    private static final String FORBIDDEN = "$\"{}[]:=,+#`^?!@*&\\";

    private final String text;
    private int pos;
    private int line = 1;
    private Token pushedBack;

    Scanner(String text) {
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
}
