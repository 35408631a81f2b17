package dev.patchgate.mirror;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory index of committed objects, by key hex, with their total length and a least
 * recently used order.
 *
 * <p>Why not Caffeine: its size eviction is W-TinyLFU, whose admission filter drops a newly
 * inserted entry when the entry it would displace has been read more often. In a full mirror that
 * means a freshly filled multi-GB patch is deleted at once and every client fetches it again from
 * upstream. The mirror wants plain LRU by last access, which this gives: lookups are a {@link
 * ConcurrentHashMap} read and a volatile write, and the ordering work (a sort) happens only when
 * the store evicts, on the store's I/O thread, down to a low-water mark so it is rare.
 *
 * <p>Thread-safe. Mutations for one key are serialised by the store's per-key lock, which keeps
 * {@link #bytes()} exact.
 */
final class ObjectIndex {
  private final ConcurrentHashMap<String, StoredObject> map = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  StoredObject get(String hex) {
    return map.get(hex);
  }

  /** Inserts or replaces; returns the replaced object, or {@code null}. */
  StoredObject put(StoredObject object) {
    StoredObject old = map.put(object.hex(), object);
    bytes.addAndGet(object.length() - (old == null ? 0 : old.length()));
    return old;
  }

  /** Removes {@code object} if it is still the one indexed under its key. */
  boolean remove(StoredObject object) {
    if (map.remove(object.hex(), object)) {
      bytes.addAndGet(-object.length());
      return true;
    }
    return false;
  }

  long bytes() {
    return bytes.get();
  }

  int size() {
    return map.size();
  }

  List<StoredObject> snapshot() {
    return new ArrayList<>(map.values());
  }

  /** The objects, least recently used first. */
  List<StoredObject> leastRecentlyUsedFirst() {
    List<StoredObject> all = snapshot();
    all.sort(
        Comparator.comparingLong(StoredObject::lastAccessMillis)
            .thenComparing(o -> o.meta().storedAt()));
    return all;
  }
}
