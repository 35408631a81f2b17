package dev.patchgate.proxy.console.data;

import java.util.List;

/**
 * What a purge removed, for the page and the admin action's audit record.
 *
 * @param prefix the prefix as the store compares it ({@code http://vendor.example:80/old/})
 * @param objects the objects removed
 * @param count how many the store removed
 * @param bytes their total size
 */
public record Purged(String prefix, List<MirrorObject> objects, int count, long bytes) {
  /** Copies the list. */
  public Purged {
    objects = List.copyOf(objects);
  }
}
