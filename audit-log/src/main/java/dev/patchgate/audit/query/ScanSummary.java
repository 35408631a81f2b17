package dev.patchgate.audit.query;

/**
 * What a scan read.
 *
 * @param files day files opened
 * @param lines lines read, whether parsed or ruled out by the pre-filter
 * @param matched records handed to the handler
 * @param malformed lines warned about and skipped
 * @param unreadableFiles files that could not be read to their end (a warning names each); the
 *     answer may then be incomplete
 * @param stoppedEarly true when the handler ended the scan
 */
public record ScanSummary(
    int files,
    long lines,
    long matched,
    long malformed,
    int unreadableFiles,
    boolean stoppedEarly) {

  /** True when every file in the period was read to its end (or the handler stopped early). */
  public boolean complete() {
    return unreadableFiles == 0;
  }
}
