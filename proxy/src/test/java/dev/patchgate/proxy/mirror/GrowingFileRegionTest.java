package dev.patchgate.proxy.mirror;

import static dev.patchgate.proxy.mirror.MirrorServeFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.mirror.FillLease;
import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillReader;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderLookup;
import dev.patchgate.mirror.MirrorStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowingFileRegionTest {
  private static final String PATH = "/pkg/growing.bin";
  private static final byte[] BODY = body(100_000, 1);

  @TempDir Path dir;
  private MirrorStore store;
  private FillWriter writer;
  private FillReader reader;

  @BeforeEach
  void start() throws IOException {
    store = MirrorServeFixtures.openStore(dir);
    writer = MirrorServeFixtures.filler(store, PATH);
    FillLease lease = store.fill(MirrorServeFixtures.key(PATH));
    reader = lease.reader();
    assertThat(writer.start(200, HeaderLookup.of("Content-Length", "" + BODY.length))).isTrue();
    assertThat(writer.write(ByteBuffer.wrap(BODY, 0, 60_000))).isTrue();
  }

  @AfterEach
  void stop() {
    reader.close();
    store.close();
  }

  private static long drain(GrowingFileRegion region, WritableByteChannel target)
      throws IOException {
    long total = 0;
    while (region.transferred() < region.count()) {
      total += region.transferTo(target, region.transferred());
    }
    return total;
  }

  @Test
  void itSendsExactlyItsSliceOfTheWrittenBytes() throws IOException {
    GrowingFileRegion region = new GrowingFileRegion(reader, 1000, 50_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    long sent = drain(region, Channels.newChannel(out));

    assertThat(sent).isEqualTo(50_000);
    assertThat(region.transferred()).isEqualTo(50_000);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(BODY, 1000, 51_000));
    assertThat(region.transferTo(Channels.newChannel(out), 50_000)).isZero();
    region.release();
  }

  @Test
  void releasingItClosesNeitherTheReaderNorTheFile() throws IOException {
    GrowingFileRegion first = new GrowingFileRegion(reader, 0, 10);
    first.retain();
    first.release();
    assertThat(first.refCnt()).isEqualTo(1);
    assertThat(first.release()).isTrue();

    GrowingFileRegion next = new GrowingFileRegion(reader, 10, 10);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    drain(next, Channels.newChannel(out));

    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(BODY, 10, 20));
    next.release();
  }

  @Test
  void aRegionOfAnAbortedFillFailsInsteadOfSendingNothingForEver() {
    GrowingFileRegion region = new GrowingFileRegion(reader, 0, 60_000);
    writer.abort(FillOutcome.UPSTREAM_ERROR);

    assertThatThrownBy(() -> region.transferTo(Channels.newChannel(new ByteArrayOutputStream()), 0))
        .isInstanceOf(IOException.class);
    region.release();
  }
}
