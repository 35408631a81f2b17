package dev.patchgate.allowlist;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The administrator's allowlist: named entries, each listing hosts and the ports allowed to them.
 * Everything not listed is denied.
 *
 * <p>A file looks like this (HOCON):
 *
 * <pre>
 * entries {
 *   # Windows Update payloads come over plain HTTP; metadata over CONNECT :443
 *   windows-update { hosts = ["*.windowsupdate.com", "*.update.microsoft.com"] }
 *   lab-origin     { hosts = ["127.0.0.1"], ports = [18080, 18443] }
 * }
 * </pre>
 *
 * <p>An entry without {@code ports} allows port 80 for plain HTTP and 443 for CONNECT; with {@code
 * ports}, exactly those ports for both. A host pattern is an exact name, {@code *.example.com}
 * (every name below example.com at any depth, not example.com itself), or an IPv4 or IPv6 address.
 *
 * <p>Immutable and thread-safe: {@link #decide} may be called from any number of threads, and a
 * reload builds a new instance.
 */
public final class Allowlist {
  private static final Allowlist DENY_ALL = new Allowlist(List.of());

  private final List<Entry> entries;
  private final List<String> entryNames;

  /** Exact hosts (names and addresses) to the entries naming them, in file order. */
  private final Map<String, Entry[]> exact;

  /** Wildcard suffixes ("example.com" for "*.example.com") to their entries, in file order. */
  private final Map<String, Entry[]> wildcards;

  private Allowlist(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    this.entryNames = entries.stream().map(Entry::name).toList();
    Map<String, List<Entry>> exactLists = new HashMap<>();
    Map<String, List<Entry>> wildcardLists = new HashMap<>();
    for (Entry entry : entries) {
      for (HostPattern pattern : entry.hosts()) {
        Map<String, List<Entry>> index = pattern.wildcard() ? wildcardLists : exactLists;
        List<Entry> named = index.computeIfAbsent(pattern.host(), k -> new ArrayList<>(1));
        // An entry listing one host twice must appear once, or precedence scans repeat it.
        if (named.isEmpty() || named.get(named.size() - 1) != entry) {
          named.add(entry);
        }
      }
    }
    this.exact = freeze(exactLists);
    this.wildcards = freeze(wildcardLists);
  }

  /**
   * Reads and validates an allowlist file (UTF-8 HOCON).
   *
   * @param file the file; its path as given is quoted in problems
   * @return the allowlist; one that denies everything when the file has no entries
   * @throws AllowlistException listing every problem in the file; a missing or unreadable file is
   *     one problem on line 0. Never any other exception for bad content.
   */
  public static Allowlist load(Path file) throws AllowlistException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw fileProblem(name, "file not found; check the path or create the file");
    } catch (AccessDeniedException e) {
      throw fileProblem(name, "permission denied; make the file readable by patchgate's user");
    } catch (CharacterCodingException e) {
      throw fileProblem(name, "not valid UTF-8; save the file as UTF-8");
    } catch (IOException e) {
      String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw fileProblem(
          name, "cannot read the file (" + cause + "); check that it is a readable file");
    }
    // Notepad, which many hospital administrators will use, saves UTF-8 with a byte-order mark.
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return parse(text, name);
  }

  /**
   * Parses and validates allowlist text, as {@link #load} does for a file's contents.
   *
   * @param hocon the text
   * @param fileName the name to quote in problems
   * @throws AllowlistException listing every problem found, sorted by line
   * @throws NullPointerException if either argument is null
   */
  public static Allowlist parse(String hocon, String fileName) throws AllowlistException {
    if (hocon == null || fileName == null) {
      throw new NullPointerException(hocon == null ? "hocon" : "fileName");
    }
    List<Entry> entries = AllowlistReader.read(hocon, fileName);
    return entries.isEmpty() ? DENY_ALL : new Allowlist(entries);
  }

  /**
   * An allowlist with no entries: every request is denied with {@link Decision#HOST_NOT_ALLOWED}.
   */
  public static Allowlist denyAll() {
    return DENY_ALL;
  }

  /**
   * Decides whether a request may pass. When several entries allow it, the first in file order is
   * named. A host that some entry names is denied with {@link Decision#PORT_NOT_ALLOWED} when none
   * of those entries allows the port; a host no entry names with {@link Decision#HOST_NOT_ALLOWED}.
   *
   * <p>Pure: no I/O, never throws (a null request is denied with {@link Decision#NO_REQUEST}),
   * thread-safe. Its cost grows with the number of labels in the host, not with the number of
   * entries: exact hosts are one map lookup, and wildcards are found by looking up each suffix of
   * the host ({@code a.b.example.com}: {@code b.example.com}, {@code example.com}, {@code com}).
   */
  public Decision decide(AccessRequest request) {
    if (request == null) {
      return Decision.deny(Decision.NO_REQUEST);
    }
    String host = request.target().host();
    Entry[] named = exact.get(host);
    boolean hostNamed = named != null;
    Entry best = firstPermitting(named, request, null);
    if (!request.target().isIpLiteral()) {
      for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
        Entry[] covering = wildcards.get(host.substring(dot + 1));
        if (covering != null) {
          hostNamed = true;
          best = firstPermitting(covering, request, best);
        }
      }
    }
    if (best != null) {
      return Decision.allow(best.name());
    }
    return Decision.deny(hostNamed ? Decision.PORT_NOT_ALLOWED : Decision.HOST_NOT_ALLOWED);
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  /** The entry names in file order; unmodifiable. */
  public List<String> entryNames() {
    return entryNames;
  }

  /** The entries in file order, for tests that check the index against a plain scan. */
  List<Entry> entries() {
    return entries;
  }

  /** The earliest entry of {@code candidates} (sorted by order) permitting the request, or best. */
  private static Entry firstPermitting(Entry[] candidates, AccessRequest request, Entry best) {
    if (candidates == null) {
      return best;
    }
    for (Entry entry : candidates) {
      if (best != null && entry.order() >= best.order()) {
        return best;
      }
      if (entry.permits(request)) {
        return entry;
      }
    }
    return best;
  }

  private static Map<String, Entry[]> freeze(Map<String, List<Entry>> lists) {
    Map<String, Entry[]> frozen = new HashMap<>(lists.size() * 2);
    lists.forEach((host, named) -> frozen.put(host, named.toArray(new Entry[0])));
    return Map.copyOf(frozen);
  }

  private static AllowlistException fileProblem(String file, String message) {
    return new AllowlistException(List.of(new Problem(file, 0, message)));
  }
}
