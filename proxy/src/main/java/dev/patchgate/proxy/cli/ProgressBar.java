package dev.patchgate.proxy.cli;

import dev.patchgate.audit.text.ByteSize;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code [2/5] 1.2 GiB / 4.7 GiB [#####---------------] 26%}, redrawn in place on a terminal with
 * carriage returns (so it never scrolls, and never reaches a log), at most every 200 ms; {@link
 * #clear} leaves the line empty for the line that replaces it. Not thread-safe: one download.
 */
final class ProgressBar {
  private static final int CELLS = 24;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream err;
  private final LongSupplier nanoTime;
  private final String counter;
  private final long total;
  private int width;
  private long nextDraw;

  /**
   * @param counter what the line starts with, e.g. {@code [2/5] }
   * @param total the download's length, or -1 when not known (then no bar, only the count)
   * @param nanoTime the clock that spaces the redrawings, as {@link System#nanoTime}
   */
  ProgressBar(PrintStream err, String counter, long total, LongSupplier nanoTime) {
    this.err = err;
    this.nanoTime = nanoTime;
    this.counter = counter;
    this.total = total;
  }

  /** Draws {@code done} bytes now. */
  void draw(long done) {
    StringBuilder line = new StringBuilder(counter).append(ByteSize.human(done));
    if (total > 0) {
      int filled = (int) (CELLS * Math.min(done, total) / total);
      line.append(" / ")
          .append(ByteSize.human(total))
          .append(" [")
          .append("#".repeat(filled))
          .append("-".repeat(CELLS - filled))
          .append("] ")
          .append(String.format(Locale.ROOT, "%3d%%", 100 * Math.min(done, total) / total));
    }
    int drawn = line.length();
    line.append(" ".repeat(Math.max(0, width - drawn)));
    err.print("\r" + line);
    err.flush();
    width = drawn;
    nextDraw = nanoTime.getAsLong() + REDRAW_NANOS;
  }

  /** Draws {@code done} bytes if the last drawing is old enough. */
  void update(long done) {
    if (nanoTime.getAsLong() - nextDraw >= 0) {
      draw(done);
    }
  }

  /** Blanks the bar; the cursor is at the start of the line. */
  void clear() {
    err.print("\r" + " ".repeat(width) + "\r");
    width = 0;
  }
}
