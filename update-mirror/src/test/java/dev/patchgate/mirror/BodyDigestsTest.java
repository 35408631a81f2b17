package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BodyDigestsTest {
  /** More than the scratch array, so a direct buffer is copied in several rounds. */
  private static final byte[] BODY = Fills.body(200_000, 7);

  private static String expected(String algorithm) {
    return Hex.of(Hex.digest(algorithm).digest(BODY));
  }

  /** Feeds BODY in pieces of {@code piece} bytes, from heap or direct buffers. */
  private static BodyDigests fed(boolean direct, int piece) {
    BodyDigests digests = new BodyDigests(true);
    for (int off = 0; off < BODY.length; off += piece) {
      int n = Math.min(piece, BODY.length - off);
      ByteBuffer src;
      if (direct) {
        src = ByteBuffer.allocateDirect(n + 3);
        src.put(new byte[] {9, 9, 9}).put(BODY, off, n).flip().position(3);
      } else {
        // A slice of a larger array, so the array offset counts.
        src = ByteBuffer.wrap(new byte[n + 5], 5, n).slice();
        src.put(BODY, off, n).flip();
      }
      ByteBuffer before = src.duplicate();
      digests.update(src);
      assertThat(src).as("left as it was").isEqualTo(before);
      assertThat(src.position()).isEqualTo(before.position());
    }
    return digests;
  }

  @Test
  void update_heapAndDirectBuffers_giveTheDigestsOfTheWholeBody() {
    for (boolean direct : new boolean[] {false, true}) {
      for (int piece : new int[] {1000, 65_536, 100_000, BODY.length}) {
        BodyDigests digests = fed(direct, piece);
        assertThat(digests.sha256Hex())
            .as("direct %s, %d", direct, piece)
            .isEqualTo(expected("SHA-256"));
        assertThat(digests.sha1Hex()).contains(expected("SHA-1"));
      }
    }
  }

  @Test
  void sha1Hex_isEmptyWhenNotAskedFor() {
    BodyDigests digests = new BodyDigests(false);
    digests.update(ByteBuffer.wrap(BODY));
    assertThat(digests.sha1Hex()).isEmpty();
    assertThat(digests.sha256Hex()).isEqualTo(expected("SHA-256"));
  }
}
