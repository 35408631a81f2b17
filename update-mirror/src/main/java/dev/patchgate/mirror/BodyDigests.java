package dev.patchgate.mirror;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The digests of a fill's body as it arrives: SHA-256 always (the store's record of the content),
 * SHA-1 as well when the URL announces one ({@link ContentHashName}).
 *
 * <p>Not thread-safe: confined to the filler, like the rest of a fill's write side.
 */
final class BodyDigests {
  private static final int SCRATCH_BYTES = 64 * 1024;
  // One scratch array per filling thread (the disk pool's few), not one per fill: fills waiting
  // for the disk can number thousands when small misses outrun fsync, and 64 KiB each was most of
  // the heap in the soak (bench/soak).
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

  private final MessageDigest sha256 = Hex.digest("SHA-256");
  private final MessageDigest sha1;

  /**
   * @param withSha1 whether to compute the SHA-1 as well
   */
  BodyDigests(boolean withSha1) {
    this.sha1 = withSha1 ? Hex.digest("SHA-1") : null;
  }

  /**
   * Feeds the bytes between {@code src}'s position and limit to the digests, leaving {@code src} as
   * it was. A heap buffer's array is hashed in place; a direct buffer (what Netty hands over) is
   * copied once into a scratch array that both digests then read, because {@code
   * MessageDigest.update(ByteBuffer)} copies a direct buffer in small pieces for each digest, which
   * halves the fill rate.
   */
  void update(ByteBuffer src) {
    if (src.hasArray()) {
      int off = src.arrayOffset() + src.position();
      sha256.update(src.array(), off, src.remaining());
      if (sha1 != null) {
        sha1.update(src.array(), off, src.remaining());
      }
      return;
    }
    byte[] scratch = SCRATCH.get();
    ByteBuffer view = src.duplicate();
    while (view.hasRemaining()) {
      int n = Math.min(view.remaining(), scratch.length);
      view.get(scratch, 0, n);
      sha256.update(scratch, 0, n);
      if (sha1 != null) {
        sha1.update(scratch, 0, n);
      }
    }
  }

  /** The SHA-256 of everything fed, in lower-case hex. Once, at the end. */
  String sha256Hex() {
    return Hex.of(sha256.digest());
  }

  /** The SHA-1 of everything fed, in lower-case hex, if it was asked for. Once, at the end. */
  Optional<String> sha1Hex() {
    return sha1 == null ? Optional.empty() : Optional.of(Hex.of(sha1.digest()));
  }
}
