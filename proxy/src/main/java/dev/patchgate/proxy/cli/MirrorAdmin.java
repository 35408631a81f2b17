package dev.patchgate.proxy.cli;

import dev.patchgate.audit.text.ByteSize;
import dev.patchgate.audit.text.DisplayText;
import dev.patchgate.audit.text.TextTable;
import dev.patchgate.mirror.ListedObject;
import dev.patchgate.mirror.MirrorSettings;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.mirror.PurgeReport;
import dev.patchgate.mirror.VerifyReport;
import dev.patchgate.proxy.console.data.MirrorData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mirror ls}, {@code verify} and {@code purge}: the store's administrative tools, once the
 * command line is checked.
 *
 * <p>{@code ls} reads the store without its lock, so it works beside a running gateway. {@code
 * verify} and {@code purge} open the store and need its lock: while the gateway holds it they say
 * so in one line and change nothing. Results go to {@code out}, refusals to {@code err}; URLs pass
 * through {@link DisplayText#clean}. Stateless.
 */
final class MirrorAdmin {
  private static final List<TextTable.Align> LS_COLUMNS =
      List.of(
          TextTable.Align.LEFT,
          TextTable.Align.RIGHT,
          TextTable.Align.LEFT,
          TextTable.Align.LEFT,
          TextTable.Align.RIGHT);

  private MirrorAdmin() {}

  /** Every stored object, in a table sorted by URL. */
  static int ls(Path dir, Terminal terminal) {
    if (!isStore(dir, "ls", terminal.err())) {
      return Cli.INVALID;
    }
    List<ListedObject> objects;
    try {
      objects = MirrorStore.list(dir);
    } catch (IOException e) {
      terminal
          .err()
          .println(DisplayText.clean("patchgate mirror ls: cannot read " + shown(dir) + ": " + e));
      return Cli.INVALID;
    }
    PrintStream out = terminal.out();
    if (objects.isEmpty()) {
      out.println("the mirror is empty (" + shown(dir) + ")");
      return Cli.OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"URL", "SIZE", "STORED", "LAST HIT", "HITS"});
    long total = 0;
    for (ListedObject o : objects) {
      total += o.length();
      rows.add(
          new String[] {
            DisplayText.clean(o.url()),
            ByteSize.human(o.length()),
            iso(o.storedAt()),
            o.hits() == 0 ? "never" : iso(o.lastAccess()),
            Long.toString(o.hits())
          });
    }
    TextTable.lines(rows, LS_COLUMNS, TextTable.Header.ALIGNED).forEach(out::println);
    out.println(plural(objects.size(), "object") + ", " + ByteSize.human(total));
    return Cli.OK;
  }

  /** Re-hashes every object; damaged ones go to quarantine. */
  static int verify(Path dir, Terminal terminal) {
    return withStore(dir, "verify", terminal, (store, out) -> verify(store, dir, out));
  }

  /** Removes the objects whose URL starts with {@code prefix}, an {@code http://} URL prefix. */
  static int purge(Path dir, String prefix, Terminal terminal) {
    return withStore(dir, "purge", terminal, (store, out) -> purge(store, prefix, out));
  }

  private static int withStore(Path dir, String command, Terminal terminal, StoreTool body) {
    if (!isStore(dir, command, terminal.err())) {
      return Cli.INVALID;
    }
    MirrorStore store;
    try {
      store = MirrorStore.open(adminSettings(dir), Clock.systemUTC(), new SimpleMeterRegistry());
    } catch (IOException e) {
      Path lock = dir.resolve("lock");
      terminal
          .err()
          .println(
              "patchgate mirror "
                  + command
                  + ": "
                  + (lockHeld(lock)
                      ? "the gateway is running and holds the mirror ("
                          + shown(lock)
                          + "); stop it first"
                      : "cannot open the mirror store "
                          + shown(dir)
                          + ": "
                          + DisplayText.clean(e.getMessage())));
      return Cli.INVALID;
    }
    try (store) {
      return body.run(store, terminal.out());
    } catch (IOException e) {
      terminal
          .err()
          .println("patchgate mirror " + command + ": " + DisplayText.clean(e.getMessage()));
      return Cli.INVALID;
    }
  }

  /** What {@code verify} and {@code purge} do with the store they hold. */
  @FunctionalInterface
  private interface StoreTool {
    int run(MirrorStore store, PrintStream out) throws IOException;
  }

  private static boolean isStore(Path dir, String command, PrintStream err) {
    if (Files.isDirectory(dir.resolve("objects"))) {
      return true;
    }
    err.println("patchgate mirror " + command + ": no mirror store at " + shown(dir));
    return false;
  }

  /**
   * The store's settings for an administrative command. Size limits are unbounded: opening a store
   * evicts down to its size limit, and {@code verify} must not delete objects because the
   * configured limit is not known here.
   */
  private static MirrorSettings adminSettings(Path dir) {
    MirrorSettings defaults = MirrorSettings.defaults(dir);
    return defaults.withSizes(Long.MAX_VALUE, Long.MAX_VALUE).withMinFree(0);
  }

  /** Whether another process, or another open store in this one, holds {@code lock}. */
  private static boolean lockHeld(Path lock) {
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock probe = ch.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int verify(MirrorStore store, Path dir, PrintStream out) throws IOException {
    VerifyReport report = store.verify();
    String checked =
        plural(report.checked(), "object")
            + " checked ("
            + ByteSize.human(report.bytesChecked())
            + " read)";
    if (report.clean()) {
      out.println("mirror verified: " + checked + ", all intact");
      return Cli.OK;
    }
    out.println(
        "mirror DAMAGED: "
            + checked
            + "; "
            + report.quarantined().size()
            + " damaged, moved to "
            + shown(dir.resolve("quarantine"))
            + ":");
    for (VerifyReport.Quarantined q : report.quarantined()) {
      out.println(
          "  "
              + DisplayText.clean(q.url())
              + ": "
              + q.problem()
              + (q.movedTo() == null ? "" : " -> " + q.movedTo().getFileName()));
    }
    return Cli.INVALID;
  }

  private static int purge(MirrorStore store, String prefix, PrintStream out) {
    String canonical = canonicalPrefix(prefix);
    // The lock is ours, so nothing fills or evicts meanwhile: what matches now is what goes.
    List<ListedObject> doomed =
        store.ls().stream().filter(o -> o.url().startsWith(canonical)).toList();
    PurgeReport report = store.purge(canonical);
    for (ListedObject o : doomed) {
      out.println(
          "removed " + DisplayText.clean(o.url()) + " (" + ByteSize.human(o.length()) + ")");
    }
    if (report.objects() == 0) {
      out.println(
          "nothing stored under "
              + DisplayText.clean(canonical)
              + " (URLs are stored as http://host:port/path; see mirror ls)");
    } else {
      out.println(
          plural(report.objects(), "object") + " removed, " + ByteSize.human(report.bytes()));
    }
    return Cli.OK;
  }

  /** See {@link MirrorData#canonicalPrefix}. */
  static String canonicalPrefix(String prefix) {
    return MirrorData.canonicalPrefix(prefix);
  }

  /** A path the user may have typed (--dir), as it may be shown. */
  private static String shown(Path path) {
    return DisplayText.clean(path.toAbsolutePath().toString());
  }

  private static String iso(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
