package dev.patchgate.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into lines of raw bytes at {@code '\n'}, keeping the bytes exactly as stored
 * (hashes cover bytes, not decoded text).
 *
 * <p>Not thread-safe.
 */
final class RawLines {
  /** Longer than any line the writer produces by far; bounds memory on a damaged file. */
  static final int MAX_LINE = 16 * 1024 * 1024;

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
  private int pos;
  private int limit;

  /** Reads from {@code in}; the caller closes it. */
  RawLines(InputStream in) {
    this.in = in;
  }

  /**
   * The next line without its newline, or {@code null} at the end of the stream.
   *
   * @throws IOException if reading fails, or a line is longer than {@value #MAX_LINE} bytes
   */
  Line next() throws IOException {
    line.reset();
    while (true) {
      if (pos == limit) {
        int n = in.read(buffer);
        if (n == -1) {
          return line.size() == 0 ? null : new Line(line.toByteArray(), false);
        }
        pos = 0;
        limit = n;
      }
      int start = pos;
      while (pos < limit && buffer[pos] != '\n') {
        pos++;
      }
      if (line.size() + (pos - start) > MAX_LINE) {
        throw new IOException("a line longer than " + MAX_LINE + " bytes");
      }
      line.write(buffer, start, pos - start);
      if (pos < limit) {
        pos++; // the newline
        return new Line(line.toByteArray(), true);
      }
    }
  }

  /**
   * One line.
   *
   * @param bytes the line without its newline
   * @param terminated false for bytes at the end of the stream that no newline ends
   */
  record Line(byte[] bytes, boolean terminated) {}
}
