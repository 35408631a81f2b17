package dev.patchgate.mirror;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link MirrorStore#verify} found.
 *
 * @param checked how many objects were re-hashed
 * @param bytesChecked how many bytes were read
 * @param quarantined the damaged objects, moved to {@code quarantine/}
 */
public record VerifyReport(int checked, long bytesChecked, List<Quarantined> quarantined) {
  public VerifyReport {
    quarantined = List.copyOf(quarantined);
  }

  /**
   * One damaged object.
   *
   * @param url its URL
   * @param problem what was wrong: {@code "sha256 mismatch"}, {@code "length mismatch"} or {@code
   *     "data file missing"}
   * @param movedTo where its data file is now (the meta file is beside it), or {@code null} if
   *     there was no data file to move
   */
  public record Quarantined(String url, String problem, Path movedTo) {}

  /** Whether every object checked out. */
  public boolean clean() {
    return quarantined.isEmpty();
  }
}
