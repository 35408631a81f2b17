package dev.patchgate.mirror;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The administrative side of the store: listing, purging and verifying committed objects, for
 * {@code patchgate mirror ls|purge|verify}.
 *
 * <p><b>Threading.</b> Runs on the caller's thread while the store keeps serving. {@link #ls} is
 * memory only; {@link #purge} deletes files and {@link #verify} reads every object, so both block.
 * Removals go through {@link CommittedObjects}, under each key's lock, so they never race a commit
 * of the same URL. Thread-safe.
 */
final class StoreAdmin {
  private final CommittedObjects objects;

  StoreAdmin(CommittedObjects objects) {
    this.objects = objects;
  }

  /** See {@link MirrorStore#list(Path)}. */
  static List<ListedObject> list(Path dir) throws IOException {
    List<ListedObject> out = new ArrayList<>();
    for (StoreScan.Found f : StoreScan.readOnly(new StoreLayout(dir))) {
      MetaRecord r = f.record();
      out.add(
          new ListedObject(
              r.meta().url(),
              r.meta().length(),
              r.meta().storedAt(),
              r.lastAccess(),
              r.hits(),
              r.meta().sha256()));
    }
    out.sort(Comparator.comparing(ListedObject::url));
    return out;
  }

  /** See {@link MirrorStore#ls()}. */
  List<ListedObject> ls() {
    List<ListedObject> out = new ArrayList<>();
    for (StoredObject o : objects.snapshot()) {
      StoredMeta m = o.meta();
      out.add(
          new ListedObject(
              m.url(), m.length(), m.storedAt(), o.lastAccess(), o.hits(), m.sha256()));
    }
    out.sort(Comparator.comparing(ListedObject::url));
    return out;
  }

  /** See {@link MirrorStore#purge}. */
  PurgeReport purge(String urlPrefix) {
    Objects.requireNonNull(urlPrefix, "urlPrefix");
    int count = 0;
    long bytes = 0;
    for (StoredObject o : objects.snapshot()) {
      if (o.url().startsWith(urlPrefix) && objects.remove(o)) {
        count++;
        bytes += o.length();
      }
    }
    return new PurgeReport(count, bytes);
  }

  /** See {@link MirrorStore#verify}. */
  VerifyReport verify() throws IOException {
    List<StoredObject> all = objects.snapshot();
    all.sort(Comparator.comparing(StoredObject::url));
    List<VerifyReport.Quarantined> quarantined = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    int checked = 0;
    long bytes = 0;
    for (StoredObject o : all) {
      String problem = null;
      long read = 0;
      try (FileChannel ch = o.open()) {
        MessageDigest md = Hex.digest("SHA-256");
        int n;
        while ((n = ch.read(buf.clear(), read)) > 0) {
          md.update(buf.array(), 0, n);
          read += n;
        }
        if (read != o.length()) {
          problem = "length mismatch";
        } else if (!Hex.of(md.digest()).equals(o.meta().sha256())) {
          problem = "sha256 mismatch";
        }
      } catch (NoSuchFileException e) {
        if (objects.get(o.hex()) != o) {
          continue;
        }
        problem = "data file missing";
      }
      checked++;
      bytes += read;
      if (problem != null) {
        objects.quarantine(o, problem, "verify").ifPresent(quarantined::add);
      }
    }
    return new VerifyReport(checked, bytes, quarantined);
  }
}
