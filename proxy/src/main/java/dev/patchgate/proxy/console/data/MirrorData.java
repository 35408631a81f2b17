package dev.patchgate.proxy.console.data;

import dev.patchgate.mirror.ListedObject;
import dev.patchgate.mirror.MirrorKey;
import dev.patchgate.mirror.MirrorStats;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.mirror.PurgeReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Mirror page's data and its purge, for admins only.
 *
 * <p>With the gateway's running store, objects come from its index in memory ({@link
 * MirrorStore#ls}) and a purge goes through the store itself ({@link MirrorStore#purge}), which is
 * safe while the gateway serves: the store removes each object from its index first (a request then
 * misses and fills again), a download already reading the file keeps its open file, and fills under
 * way are not touched. That is why the console can purge while {@code patchgate mirror purge}, a
 * second process, must wait for the gateway to stop: only one process may hold the store. Without a
 * running store (mirror off), objects are read from the directory as {@code mirror ls} reads them,
 * and purge is refused. Thread-safe.
 */
public final class MirrorData {
  private static final String HTTP = "http://";

  private final Path dir;
  private final Optional<MirrorStore> running;

  /**
   * @param dir the mirror directory
   * @param running the gateway's open store, or empty when the mirror is off
   */
  public MirrorData(Path dir, Optional<MirrorStore> running) {
    this.dir = dir;
    this.running = running;
  }

  /**
   * The stored objects sorted by URL, with totals and free space.
   *
   * @param rowLimit the most objects returned
   * @throws OutOfScopeException for a vendor
   * @throws UncheckedIOException when the directory cannot be read (no running store)
   */
  public MirrorView objects(Scope scope, int rowLimit) {
    scope.requireAdmin("the mirror page");
    List<ListedObject> all;
    long max = -1;
    long free;
    if (running.isPresent()) {
      MirrorStore store = running.get();
      all = store.ls();
      MirrorStats stats = store.stats();
      max = stats.maxSizeBytes();
      free = stats.usableBytes();
    } else {
      try {
        all = Files.isDirectory(dir.resolve("objects")) ? MirrorStore.list(dir) : List.of();
        free = Files.isDirectory(dir) ? Files.getFileStore(dir).getUsableSpace() : -1;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the mirror store " + dir, e);
      }
    }
    long total = 0;
    List<MirrorObject> rows = new ArrayList<>(Math.min(rowLimit, all.size()));
    for (ListedObject o : all) {
      total += o.length();
      if (rows.size() < rowLimit) {
        rows.add(object(o));
      }
    }
    return new MirrorView(rows, all.size() > rowLimit, all.size(), total, max, free);
  }

  /**
   * Removes the objects whose URL starts with {@code prefix}, through the running store. The web
   * layer checks CSRF and audits the action; this only does it.
   *
   * @param prefix an {@code http://} URL prefix; a whole host is put in the stored form ({@link
   *     #canonicalPrefix})
   * @throws BadFilterException when the prefix is not an {@code http://} URL prefix, or the mirror
   *     is off
   * @throws OutOfScopeException for a vendor
   */
  public Purged purge(String prefix, Scope scope) {
    scope.requireAdmin("purging the mirror");
    if (prefix == null || !prefix.regionMatches(true, 0, HTTP, 0, HTTP.length())) {
      throw new BadFilterException(
          "prefix: '"
              + prefix
              + "' is not an http:// URL prefix (the mirror stores plain-HTTP downloads only)");
    }
    MirrorStore store =
        running.orElseThrow(() -> new BadFilterException("the mirror is off: nothing to purge"));
    String canonical = canonicalPrefix(prefix);
    List<ListedObject> before =
        store.ls().stream().filter(o -> o.url().startsWith(canonical)).toList();
    PurgeReport report = store.purge(canonical);
    Set<String> left = store.ls().stream().map(ListedObject::url).collect(Collectors.toSet());
    List<MirrorObject> removed =
        before.stream().filter(o -> !left.contains(o.url())).map(MirrorData::object).toList();
    return new Purged(canonical, removed, report.objects(), report.bytes());
  }

  /**
   * The prefix in the form URLs are stored in, when it names a whole host: {@code
   * http://Vendor.example/x} becomes {@code http://vendor.example:80/x}. A prefix that ends inside
   * the host name ({@code http://vendor.ex}) is used as given. What {@code mirror purge} uses too.
   */
  public static String canonicalPrefix(String prefix) {
    if (prefix.indexOf('/', HTTP.length()) < 0) {
      return HTTP + prefix.substring(HTTP.length()).toLowerCase(Locale.ROOT);
    }
    try {
      return MirrorKey.of(prefix, false).url();
    } catch (IllegalArgumentException e) {
      return prefix;
    }
  }

  private static MirrorObject object(ListedObject o) {
    return new MirrorObject(
        o.url(),
        DisplayUrl.of(o.url()),
        o.length(),
        o.storedAt(),
        o.hits() == 0 ? Optional.empty() : Optional.of(o.lastAccess()),
        o.hits());
  }
}
