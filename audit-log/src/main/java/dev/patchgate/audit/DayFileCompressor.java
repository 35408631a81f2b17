package dev.patchgate.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Replaces a finished plain day file by its gzipped form without ever leaving a moment where
 * neither a complete plain nor a complete gzipped copy exists.
 *
 * <p>Steps: write {@code <name>.gz.tmp}, fsync it, decompress it again and compare its SHA-256 and
 * length with the plain file's, atomically rename it to {@code <name>.gz}, fsync the directory,
 * delete the plain file. A crash at any point leaves the plain file (which readers prefer) or a
 * finished {@code .gz}; a leftover {@code .tmp} is deleted by the next housekeeping. Stateless.
 */
final class DayFileCompressor {
  private static final int BUFFER = 64 * 1024;

  private DayFileCompressor() {}

  /**
   * Compresses {@code plain} into {@code plain + ".gz"} and deletes {@code plain}.
   *
   * @throws InterruptedIOException if the thread is interrupted; nothing is changed then
   * @throws IOException if any step fails; the plain file is then left in place, and so is a {@code
   *     .gz} that existed before
   */
  static void compress(Path plain) throws IOException {
    Path dir = plain.toAbsolutePath().getParent();
    Path gz = plain.resolveSibling(plain.getFileName() + ".gz");
    Path tmp = plain.resolveSibling(plain.getFileName() + ".gz.tmp");
    try {
      MessageDigest plainDigest = HashChain.newSha256();
      long length;
      try (InputStream in = Files.newInputStream(plain);
          OutputStream out =
              new GZIPOutputStream(
                  Files.newOutputStream(
                      tmp,
                      StandardOpenOption.CREATE,
                      StandardOpenOption.TRUNCATE_EXISTING,
                      StandardOpenOption.WRITE),
                  BUFFER)) {
        length = copy(in, out, plainDigest);
      }
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      MessageDigest readBack = HashChain.newSha256();
      long readBackLength;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(tmp), BUFFER)) {
        readBackLength = copy(in, OutputStream.nullOutputStream(), readBack);
      }
      if (readBackLength != length || !Arrays.equals(readBack.digest(), plainDigest.digest())) {
        throw new IOException("the compressed copy of " + plain + " does not read back the same");
      }
      if (Files.size(plain) != length) {
        throw new IOException(plain + " changed while it was compressed");
      }
      Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      DailyAuditFiles.forceDirectory(dir);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.delete(plain);
    DailyAuditFiles.forceDirectory(dir);
  }

  private static long copy(InputStream in, OutputStream out, MessageDigest digest)
      throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("compression interrupted");
      }
      digest.update(buffer, 0, n);
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }
}
