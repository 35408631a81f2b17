package dev.patchgate.proxy.mirror;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileRegion} over bytes {@code [position, position + count)} of some file: the
 * bookkeeping Netty asks of a region (what was sent, bounds, reference counting), leaving the
 * sending itself ({@link #send}) and what a release frees to the subclass.
 */
abstract class SliceRegion extends AbstractReferenceCounted implements FileRegion {
  private final long position;
  private final long count;
  private long transferred;

  /**
   * @throws IllegalArgumentException if {@code position} or {@code count} is negative
   */
  SliceRegion(long position, long count) {
    if (position < 0 || count < 0) {
      throw new IllegalArgumentException(
          "position " + position + ", count " + count + " (expected: >= 0)");
    }
    this.position = position;
    this.count = count;
  }

  /**
   * Sends up to {@code length} bytes from {@code filePosition} to {@code target}.
   *
   * @return the bytes sent, possibly 0 when the target cannot take more now
   */
  abstract long send(long filePosition, long length, WritableByteChannel target) throws IOException;

  @Override
  public final long position() {
    return position;
  }

  @Override
  public final long count() {
    return count;
  }

  @Override
  public final long transferred() {
    return transferred;
  }

  @Deprecated
  @Override
  public final long transfered() {
    return transferred;
  }

  @Override
  public final long transferTo(WritableByteChannel target, long position) throws IOException {
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
    long written = send(this.position + position, remaining, target);
    if (written > 0) {
      transferred += written;
    }
    return written;
  }

  @Override
  public SliceRegion retain() {
    super.retain();
    return this;
  }

  @Override
  public SliceRegion retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public SliceRegion touch() {
    return this;
  }

  @Override
  public SliceRegion touch(Object hint) {
    return this;
  }
}
