package dev.patchgate.allowlist;

import dev.patchgate.allowlist.HoconScanner.GiveUp;
import dev.patchgate.allowlist.HoconScanner.Kind;
import dev.patchgate.allowlist.HoconScanner.Token;
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
 * scanner that knows HOCON's tokens ({@link HoconScanner}) and follows the nesting of keys, dotted
 * keys included ({@code entries.a.hosts = [...]} defines entry {@code a}), and nothing else. It
 * runs only on text Typesafe Config has already accepted; on anything it does not understand it
 * stops and returns what it found, so it can miss a duplicate but never invent one.
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

  private final HoconScanner scanner;

  /** First lines of definitions, by path joined with NUL (cheaper to hash than a list). */
  private final Map<String, Integer> blocks = new HashMap<>();

  private final Map<String, Integer> leaves = new HashMap<>();
  private final List<Duplicate> blockDuplicates = new ArrayList<>();
  private final List<Duplicate> leafDuplicates = new ArrayList<>();

  private DuplicateKeys(String text) {
    this.scanner = new HoconScanner(text);
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
}
