package dev.patchgate.proxy.console.data;

import java.util.List;

/**
 * The Mirror page.
 *
 * @param objects the objects, sorted by URL, at most the row limit
 * @param more true when objects beyond the limit were left out
 * @param objectCount every object stored
 * @param storedBytes their total size
 * @param maxSizeBytes the configured limit, or -1 when not known (the gateway is not running)
 * @param freeBytes usable space on the store's file system, or -1 when unknown
 */
public record MirrorView(
    List<MirrorObject> objects,
    boolean more,
    int objectCount,
    long storedBytes,
    long maxSizeBytes,
    long freeBytes) {
  /** Copies the list. */
  public MirrorView {
    objects = List.copyOf(objects);
  }
}
