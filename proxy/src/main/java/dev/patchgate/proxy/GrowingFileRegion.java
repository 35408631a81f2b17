package dev.patchgate.proxy;

import dev.patchgate.mirror.FillReader;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileRegion} over bytes {@code [position, position + count)} of a fill's growing file,
 * sent with {@link FillReader#transferTo} ({@code sendfile}). Only bytes already written may be put
 * in a region: {@code count} must not reach beyond {@link FillReader#available()} when it is made.
 *
 * <p>Releasing it closes nothing: the reader and its file are shared by all followers of the fill,
 * and the follower closes its reader itself when it is done. If the fill is aborted while the
 * region is being sent, {@code transferTo} throws and the transport fails the write (and closes the
 * connection), so a cut body never looks complete.
 */
final class GrowingFileRegion extends AbstractReferenceCounted implements FileRegion {
  private final FillReader reader;
  private final long position;
  private final long count;
  private long transferred;

  /**
   * @throws IllegalArgumentException if {@code position} or {@code count} is negative
   */
  GrowingFileRegion(FillReader reader, long position, long count) {
    if (position < 0 || count < 0) {
      throw new IllegalArgumentException(
          "position " + position + ", count " + count + " (expected: >= 0)");
    }
    this.reader = reader;
    this.position = position;
    this.count = count;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long transferred() {
    return transferred;
  }

  @Deprecated
  @Override
  public long transfered() {
    return transferred;
  }

  @Override
  public long transferTo(WritableByteChannel target, long position) throws IOException {
    long remaining = count - position;
    if (remaining < 0 || position < 0) {
      throw new IllegalArgumentException(
          "position out of range: " + position + " (expected: 0 - " + count + ")");
    }
    if (remaining == 0) {
      return 0;
    }
    if (refCnt() == 0) {
      throw new IllegalReferenceCountException(0);
    }
    long written = reader.transferTo(this.position + position, remaining, target);
    if (written > 0) {
      transferred += written;
    }
    return written;
  }

  @Override
  public GrowingFileRegion retain() {
    super.retain();
    return this;
  }

  @Override
  public GrowingFileRegion retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public GrowingFileRegion touch() {
    return this;
  }

  @Override
  public GrowingFileRegion touch(Object hint) {
    return this;
  }

  @Override
  protected void deallocate() {
    // Nothing to free: the reader belongs to the follower, not to the region.
  }

  @Override
  public String toString() {
    return "GrowingFileRegion[" + reader.key() + ", " + position + "+" + count + "]";
  }
}
