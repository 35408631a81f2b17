package dev.patchgate.proxy.mirror;

import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file region over a slice of a file that other regions share: the parts of one {@code
 * multipart/byteranges} answer read one open channel, which is closed when the last region using it
 * is released. (Netty's {@code DefaultFileRegion} closes its channel on release, so it cannot share
 * one.)
 *
 * <p>Use: wrap the channel in a {@link SharedFile} (one reference, the caller's), make the regions
 * (each holds a reference), write them, then {@link SharedFile#release()} the caller's reference.
 */
final class SharedFileRegion extends SliceRegion {
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

  /**
   * A region of {@code count} bytes from {@code position}; takes a reference to {@code file}.
   *
   * @throws IllegalArgumentException if {@code position} or {@code count} is negative
   */
  SharedFileRegion(SharedFile file, long position, long count) {
    super(position, count);
    file.retain();
    this.file = file;
  }

  @Override
  long send(long filePosition, long length, WritableByteChannel target) throws IOException {
    long written = file.channel.transferTo(filePosition, length, target);
    if (written == 0 && file.channel.size() < filePosition + length) {
      // transferTo returns 0 past the end of the file; the transport would wait for ever.
      throw new IOException(
          "file has "
              + file.channel.size()
              + " bytes, fewer than the region's end "
              + (filePosition + length));
    }
    return written;
  }

  @Override
  protected void deallocate() {
    file.release();
  }
}
