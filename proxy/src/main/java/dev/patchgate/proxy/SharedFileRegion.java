package dev.patchgate.proxy;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileRegion} over a slice of a file that other regions share: the parts of one {@code
 * multipart/byteranges} answer read one open channel, which is closed when the last region using it
 * is released. (Netty's {@code DefaultFileRegion} closes its channel on release, so it cannot share
 * one.)
 *
 * <p>Use: wrap the channel in a {@link SharedFile} (one reference, the caller's), make the regions
 * (each holds a reference), write them, then {@link SharedFile#release()} the caller's reference.
 */
final class SharedFileRegion extends AbstractReferenceCounted implements FileRegion {
  /** An open file shared by regions; closed when the last reference is released. */
  static final class SharedFile extends AbstractReferenceCounted {
    private final FileChannel channel;

    SharedFile(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public SharedFile touch(Object hint) {
      return this;
    }

    @Override
    protected void deallocate() {
      try {
        channel.close();
      } catch (IOException e) {
        // A read-only channel that fails to close has nothing left to lose.
      }
    }
  }

  private final SharedFile file;
  private final long position;
  private final long count;
  private long transferred;

  /**
   * A region of {@code count} bytes from {@code position}; takes a reference to {@code file}.
   *
   * @throws IllegalArgumentException if {@code position} or {@code count} is negative
   */
  SharedFileRegion(SharedFile file, long position, long count) {
    if (position < 0 || count < 0) {
      throw new IllegalArgumentException(
          "position " + position + ", count " + count + " (expected: >= 0)");
    }
    file.retain();
    this.file = file;
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
    long written = file.channel.transferTo(this.position + position, remaining, target);
    if (written > 0) {
      transferred += written;
    } else if (file.channel.size() < this.position + count) {
      // transferTo returns 0 past the end of the file; the transport would wait for ever.
      throw new IOException(
          "file has "
              + file.channel.size()
              + " bytes, fewer than the region's end "
              + (this.position + count));
    }
    return written;
  }

  @Override
  public SharedFileRegion retain() {
    super.retain();
    return this;
  }

  @Override
  public SharedFileRegion retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public SharedFileRegion touch() {
    return this;
  }

  @Override
  public SharedFileRegion touch(Object hint) {
    return this;
  }

  @Override
  protected void deallocate() {
    file.release();
  }
}
