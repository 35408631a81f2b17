package dev.patchgate.proxy.mirror;

import dev.patchgate.mirror.FillReader;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A file region over bytes {@code [position, position + count)} of a fill's growing file, sent with
 * {@link FillReader#transferTo} ({@code sendfile}). Only bytes already written may be put in a
 * region: {@code count} must not reach beyond {@link FillReader#available()} when it is made.
 *
 * <p>Releasing it closes nothing: the reader and its file are shared by all followers of the fill,
 * and the follower closes its reader itself when it is done. If the fill is aborted while the
 * region is being sent, {@code transferTo} throws and the transport fails the write (and closes the
 * connection), so a cut body never looks complete.
 */
final class GrowingFileRegion extends SliceRegion {
  private final FillReader reader;

  /**
   * @throws IllegalArgumentException if {@code position} or {@code count} is negative
   */
  GrowingFileRegion(FillReader reader, long position, long count) {
    super(position, count);
    this.reader = reader;
  }

  @Override
  long send(long filePosition, long length, WritableByteChannel target) throws IOException {
    return reader.transferTo(filePosition, length, target);
  }

  @Override
  protected void deallocate() {
    // Nothing to free: the reader belongs to the follower, not to the region.
  }

  @Override
  public String toString() {
    return "GrowingFileRegion[" + reader.key() + ", " + position() + "+" + count() + "]";
  }
}
