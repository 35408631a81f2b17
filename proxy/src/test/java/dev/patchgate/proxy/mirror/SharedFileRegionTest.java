package dev.patchgate.proxy.mirror;

import static dev.patchgate.proxy.mirror.MirrorServeFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedFileRegionTest {
  private static final byte[] BODY = body(10_000, 2);

  @TempDir Path dir;

  private FileChannel open() throws IOException {
    Path file = dir.resolve("data");
    Files.write(file, BODY);
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  private static byte[] drain(SharedFileRegion region) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WritableByteChannel target = Channels.newChannel(out);
    while (region.transferred() < region.count()) {
      region.transferTo(target, region.transferred());
    }
    return out.toByteArray();
  }

  @Test
  void theFileStaysOpenUntilTheLastRegionSharingItIsReleased() throws IOException {
    FileChannel channel = open();
    SharedFileRegion.SharedFile file = new SharedFileRegion.SharedFile(channel);
    SharedFileRegion first = new SharedFileRegion(file, 0, 100);
    SharedFileRegion second = new SharedFileRegion(file, 9000, 1000);
    file.release();

    byte[] a = drain(first);
    first.release();
    assertThat(channel.isOpen()).isTrue();
    byte[] b = drain(second);
    second.release();

    assertThat(a).isEqualTo(Arrays.copyOfRange(BODY, 0, 100));
    assertThat(b).isEqualTo(Arrays.copyOfRange(BODY, 9000, 10_000));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aRegionBeyondTheEndOfTheFileFailsInsteadOfWaitingForEver() throws IOException {
    SharedFileRegion.SharedFile file = new SharedFileRegion.SharedFile(open());
    SharedFileRegion region = new SharedFileRegion(file, 10_000, 10);
    file.release();

    assertThatThrownBy(() -> drain(region)).isInstanceOf(IOException.class);
    region.release();
  }
}
