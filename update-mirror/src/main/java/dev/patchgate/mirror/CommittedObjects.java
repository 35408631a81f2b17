package dev.patchgate.mirror;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed objects and every change to them: the index, the copies in memory, the access
 * records waiting to be written, and the files under {@code objects/}.
 *
 * <p><b>Locking.</b> Every change to one key (commit, removal, quarantine, the write of its access
 * record) runs under that key's lock, one of 64 stripes chosen by the key's first byte, so a
 * removal never deletes the files of the object a commit has just put in its place, and {@link
 * ObjectIndex#bytes()} stays exact. Reads ({@link #get}, {@link #snapshot}) take no lock.
 *
 * <p><b>Threading.</b> Thread-safe. {@link #get}, {@link #accessed}, {@link #revalidated} and the
 * counts touch memory only and never block. {@link #publish} runs on the store's I/O thread; {@link
 * #remove}, {@link #quarantine} and {@link #flushAccessRecords} delete, move or write files and run
 * on the I/O thread or an administrative caller's; {@link #content} reads a small file on first
 * use.
 */
final class CommittedObjects {
  private static final int LOCK_STRIPES = 64;

  private final StoreLayout layout;
  private final Clock clock;
  private final MirrorMetrics metrics;
  private final ObjectIndex index = new ObjectIndex();
  private final MemoryTier memory;
  private final Set<StoredObject> dirty = ConcurrentHashMap.newKeySet();
  private final Object[] locks = new Object[LOCK_STRIPES];

  CommittedObjects(StoreLayout layout, Clock clock, MirrorMetrics metrics, MemoryTier memory) {
    this.layout = layout;
    this.clock = clock;
    this.metrics = metrics;
    this.memory = memory;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * Indexes what start-up found on disk, oldest access first so the LRU order survives the restart.
   * Before the I/O thread starts.
   */
  void restore(List<StoreScan.Found> found) {
    List<StoredObject> objects = new ArrayList<>(found.size());
    for (StoreScan.Found f : found) {
      MetaRecord r = f.record();
      objects.add(
          new StoredObject(
              this,
              f.hex(),
              r.dataName(),
              f.data(),
              r.meta(),
              r.hits(),
              r.lastAccess().toEpochMilli()));
    }
    objects.sort(Comparator.comparingLong(StoredObject::lastAccessMillis));
    for (StoredObject o : objects) {
      index.put(o);
    }
  }

  /** The object indexed under {@code hex}, or null. */
  StoredObject get(String hex) {
    return index.get(hex);
  }

  /** Every indexed object, in no order; a copy. */
  List<StoredObject> snapshot() {
    return index.snapshot();
  }

  /** Every indexed object, least recently used first; a copy. */
  List<StoredObject> leastRecentlyUsedFirst() {
    return index.leastRecentlyUsedFirst();
  }

  int size() {
    return index.size();
  }

  /** The total length of the indexed objects. */
  long bytes() {
    return index.bytes();
  }

  /** The memory the copies of small objects hold. */
  long memoryBytes() {
    return memory.bytes();
  }

  long nowMillis() {
    return clock.millis();
  }

  /** {@code o} was served: counts the hit and marks its access record for the next write. */
  void accessed(StoredObject o) {
    metrics.hit();
    dirty.add(o);
  }

  /**
   * The object for {@code key}, if indexed, takes the header fields of a {@code 304} and counts as
   * validated now; its meta file follows lazily. False if the object is gone.
   */
  boolean revalidated(MirrorKey key, HeaderLookup notModifiedHeaders) {
    StoredObject o = index.get(key.hex());
    if (o == null || !o.url().equals(key.url())) {
      return false;
    }
    o.replaceMeta(o.meta().revalidated(notModifiedHeaders, clock.instant()));
    dirty.add(o);
    return true;
  }

  /** See {@link MirrorStore#content}. */
  Optional<ByteBuffer> content(StoredObject object) {
    if (!memory.holds(object.length())) {
      return Optional.empty();
    }
    byte[] bytes = memory.get(object.dataName());
    if (bytes == null) {
      bytes = readChecked(object);
      if (bytes == null) {
        return Optional.empty();
      }
      memory.put(object.dataName(), bytes);
    }
    return Optional.of(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  private byte[] readChecked(StoredObject object) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(object.dataPath());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      metrics.error("read");
      return null;
    }
    StoredMeta meta = object.meta();
    if (bytes.length != meta.length()) {
      quarantine(object, "length " + bytes.length + " (expected " + meta.length() + ")", "read");
      return null;
    }
    if (!Hex.of(Hex.digest("SHA-256").digest(bytes)).equals(meta.sha256())) {
      quarantine(object, "content does not match its SHA-256", "read");
      return null;
    }
    return bytes;
  }

  /**
   * Moves a verified fill into the store and indexes it, replacing (and deleting) the URL's
   * previous object; see {@link MirrorStore}'s commit protocol. On the I/O thread.
   *
   * @return the committed object
   */
  StoredObject publish(String hex, String dataName, Path tmp, StoredMeta meta) throws IOException {
    Path shard = layout.shard(hex);
    Files.createDirectories(shard);
    Path data = shard.resolve(dataName);
    synchronized (lockFor(hex)) {
      Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
      long now = clock.millis();
      StoredObject object = new StoredObject(this, hex, dataName, data, meta, 0, now);
      try {
        MetaFile.write(layout.meta(hex), layout.tmpMeta(hex), object.record());
      } catch (IOException e) {
        deleteOrCount(data);
        throw e;
      }
      StoredObject old = index.put(object);
      if (old != null) {
        dirty.remove(old);
        memory.forget(old.dataName());
        deleteOrCount(old.dataPath());
      }
      return object;
    }
  }

  /**
   * Removes {@code o} and deletes its files, if it is still the object indexed under its key.
   *
   * @return false if it was already gone or replaced
   */
  boolean remove(StoredObject o) {
    synchronized (lockFor(o.hex())) {
      if (!index.remove(o)) {
        return false;
      }
      dirty.remove(o);
      memory.forget(o.dataName());
      // Meta first: a crash in between leaves an unreferenced data file, which start-up removes.
      deleteOrCount(layout.meta(o.hex()));
      deleteOrCount(o.dataPath());
      return true;
    }
  }

  /**
   * Takes {@code o} out of the index and moves its files to {@code quarantine/} (deleting what
   * cannot be moved), counting an integrity failure at {@code stage}.
   *
   * @return what was quarantined, or empty if {@code o} was already gone or replaced
   */
  Optional<VerifyReport.Quarantined> quarantine(StoredObject o, String problem, String stage) {
    Path movedTo = null;
    synchronized (lockFor(o.hex())) {
      if (!index.remove(o)) {
        return Optional.empty();
      }
      dirty.remove(o);
      memory.forget(o.dataName());
      Path dataTarget = layout.quarantine.resolve(o.dataName());
      String metaName = o.dataName().substring(0, o.dataName().length() - 5) + ".meta";
      try {
        Files.move(o.dataPath(), dataTarget, StandardCopyOption.REPLACE_EXISTING);
        movedTo = dataTarget;
      } catch (IOException e) {
        deleteOrCount(o.dataPath());
      }
      try {
        Files.move(
            layout.meta(o.hex()),
            layout.quarantine.resolve(metaName),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        deleteOrCount(layout.meta(o.hex()));
      }
    }
    metrics.integrityFailure(stage);
    return Optional.of(new VerifyReport.Quarantined(o.url(), problem, movedTo));
  }

  /** Writes the pending access records (hits, last access) of indexed objects to their metas. */
  void flushAccessRecords() {
    for (Iterator<StoredObject> it = dirty.iterator(); it.hasNext(); ) {
      StoredObject o = it.next();
      it.remove();
      synchronized (lockFor(o.hex())) {
        if (index.get(o.hex()) != o) {
          continue;
        }
        try {
          MetaFile.write(layout.meta(o.hex()), layout.tmpMeta(o.hex()), o.record());
        } catch (IOException e) {
          metrics.error("meta-write");
        }
      }
    }
  }

  private void deleteOrCount(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      metrics.error("delete");
    }
  }

  private Object lockFor(String hex) {
    int firstByte = (Character.digit(hex.charAt(0), 16) << 4) | Character.digit(hex.charAt(1), 16);
    return locks[firstByte & (LOCK_STRIPES - 1)];
  }
}
