package dev.patchgate.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/**
 * Reads the end of a plain day file without reading the rest: its last complete line and the bytes
 * after it that no newline ends (a torn line).
 *
 * <p>Stateless.
 */
final class FileTail {
  private static final int CHUNK = 64 * 1024;

  private FileTail() {}

  /**
   * The last complete line (without its newline) and the torn bytes after it.
   *
   * @param lastLine the last line a newline ends, or {@code null} if there is none
   * @param torn the bytes after the last newline, or {@code null} if the file ends with one
   */
  record Tail(byte[] lastLine, Torn torn) {}

  /**
   * Bytes at the end of a file that no newline ends.
   *
   * @param length how many bytes
   * @param sha256 their lower-case hex SHA-256
   * @param bytes the bytes themselves, or {@code null} when longer than {@link RawLines#MAX_LINE}
   */
  record Torn(long length, String sha256, byte[] bytes) {}

  /** Reads the tail of the file open in {@code channel} (positional reads only). */
  static Tail read(FileChannel channel) throws IOException {
    long size = channel.size();
    long lastNewline = lastNewlineBefore(channel, size);
    Torn torn = lastNewline == size - 1 ? null : torn(channel, lastNewline + 1, size);
    if (lastNewline < 0) {
      return new Tail(null, torn);
    }
    long start = lastNewlineBefore(channel, lastNewline) + 1;
    // A line longer than any the writer makes is damage: its prefix will not parse, which says so.
    int length = (int) Math.min(lastNewline - start, RawLines.MAX_LINE);
    return new Tail(readFully(channel, start, length), torn);
  }

  /**
   * Only the torn bytes at the end, or {@code null} when the file is empty or ends in a newline.
   */
  static Torn readTorn(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size == 0) {
      return null;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    channel.read(last, size - 1);
    if (last.get(0) == '\n') {
      return null;
    }
    return torn(channel, lastNewlineBefore(channel, size) + 1, size);
  }

  private static Torn torn(FileChannel channel, long from, long to) throws IOException {
    long length = to - from;
    if (length <= RawLines.MAX_LINE) {
      byte[] bytes = readFully(channel, from, (int) length);
      return new Torn(length, HashChain.hex(HashChain.newSha256().digest(bytes)), bytes);
    }
    MessageDigest sha256 = HashChain.newSha256();
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    for (long at = from; at < to; ) {
      chunk.clear().limit((int) Math.min(CHUNK, to - at));
      int n = channel.read(chunk, at);
      if (n < 0) {
        throw new IOException("file shrank while reading its tail");
      }
      sha256.update(chunk.array(), 0, n);
      at += n;
    }
    return new Torn(length, HashChain.hex(sha256.digest()), null);
  }

  /** The position of the last {@code '\n'} before {@code end}, or -1. */
  private static long lastNewlineBefore(FileChannel channel, long end) throws IOException {
    byte[] chunk = new byte[CHUNK];
    long chunkEnd = end;
    while (chunkEnd > 0) {
      long chunkStart = Math.max(0, chunkEnd - CHUNK);
      byte[] bytes = readFully(channel, chunkStart, (int) (chunkEnd - chunkStart), chunk);
      for (int i = (int) (chunkEnd - chunkStart) - 1; i >= 0; i--) {
        if (bytes[i] == '\n') {
          return chunkStart + i;
        }
      }
      chunkEnd = chunkStart;
    }
    return -1;
  }

  private static byte[] readFully(FileChannel channel, long from, int length) throws IOException {
    return readFully(channel, from, length, new byte[length]);
  }

  /** Reads {@code length} bytes at {@code from} into the start of {@code into}, returned. */
  private static byte[] readFully(FileChannel channel, long from, int length, byte[] into)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, from + buffer.position()) < 0) {
        throw new IOException("file shrank while reading its tail");
      }
    }
    return into;
  }
}
