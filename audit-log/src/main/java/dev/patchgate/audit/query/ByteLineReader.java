package dev.patchgate.audit.query;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into {@code '\n'}-terminated lines without decoding them, so that lines a query
 * rules out cost a byte scan and nothing more.
 *
 * <p>After {@link #next()} returns true, the line is {@link #buffer()}{@code [}{@link
 * #start()}{@code , }{@link #end()}{@code )}, without its newline; the bytes stay valid until the
 * next call. A line longer than the buffer is not returned in full: {@link #tooLong()} is set and
 * its bytes are skipped. Not thread-safe; does not close the stream.
 */
final class ByteLineReader {
  /** The longest line kept; a valid record is a few hundred bytes, at most some kilobytes. */
  static final int MAX_LINE = 1 << 20;

  private final InputStream in;
  private final byte[] buf;
  private int dataStart;
  private int dataEnd;
  // Where the search for the next newline resumes, so no byte is scanned twice.
  private int scanFrom;
  private boolean eof;
  private long lineNumber;
  private int lineStart;
  private int lineEnd;
  private boolean terminated;
  private boolean tooLong;

  ByteLineReader(InputStream in) {
    this(in, MAX_LINE);
  }

  ByteLineReader(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[bufferSize];
  }

  /**
   * Advances to the next line.
   *
   * @return false at the end of the stream
   * @throws IOException if reading fails
   */
  boolean next() throws IOException {
    boolean skipping = false;
    while (true) {
      int nl = indexOfNewline(scanFrom, dataEnd);
      if (nl >= 0) {
        setLine(dataStart, nl, true, skipping);
        dataStart = nl + 1;
        scanFrom = dataStart;
        return true;
      }
      scanFrom = dataEnd;
      if (eof) {
        if (dataStart < dataEnd || skipping) {
          setLine(dataStart, dataEnd, false, skipping);
          dataStart = dataEnd;
          return true;
        }
        return false;
      }
      if (dataStart == 0 && dataEnd == buf.length) {
        // One line fills the whole buffer: drop what we have and skip to its end.
        skipping = true;
        dataEnd = 0;
        scanFrom = 0;
      } else if (dataEnd == buf.length) {
        System.arraycopy(buf, dataStart, buf, 0, dataEnd - dataStart);
        dataEnd -= dataStart;
        scanFrom -= dataStart;
        dataStart = 0;
      }
      int n = in.read(buf, dataEnd, buf.length - dataEnd);
      if (n < 0) {
        eof = true;
      } else {
        dataEnd += n;
      }
    }
  }

  /** The buffer holding the current line. */
  byte[] buffer() {
    return buf;
  }

  /** The index of the current line's first byte. */
  int start() {
    return lineStart;
  }

  /** The index after the current line's last byte (its newline excluded). */
  int end() {
    return lineEnd;
  }

  /** The 1-based number of the current line in the stream. */
  long lineNumber() {
    return lineNumber;
  }

  /** False for a last line that has no newline: torn, or still being written. */
  boolean terminated() {
    return terminated;
  }

  /** True when the current line was longer than the buffer and its bytes were skipped. */
  boolean tooLong() {
    return tooLong;
  }

  private void setLine(int start, int end, boolean terminated, boolean tooLong) {
    lineNumber++;
    this.lineStart = tooLong ? end : start;
    this.lineEnd = end;
    this.terminated = terminated;
    this.tooLong = tooLong;
  }

  private int indexOfNewline(int from, int to) {
    byte[] b = buf;
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
