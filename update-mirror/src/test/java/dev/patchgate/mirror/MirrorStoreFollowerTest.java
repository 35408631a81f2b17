package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorStoreFollowerTest {
  private static final String URL = "http://vendor.example:80/big.iso";
  private static final MirrorKey KEY = MirrorKey.of(URL, false);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private MirrorStore store;

  @BeforeEach
  void open() throws Exception {
    MirrorSettings settings =
        MirrorSettings.defaults(dir).withSizes(1 << 30, 1 << 28).withMinFree(0);
    store =
        MirrorStore.open(
            settings,
            new FakeClock(Instant.parse("2026-11-23T10:00:00Z")),
            new SimpleMeterRegistry(),
            new FakeDisk(dir, 1L << 40));
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
    store.close();
  }

  @Test
  void concurrentRequestsMakeOneFillerAndFollowersThatReadTheBytesWhileTheyGrow() throws Exception {
    int clients = 8;
    int chunks = 16;
    int chunk = 64 * 1024;
    byte[] body = Fills.body(chunks * chunk, 11);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<FillLease>> leases = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      leases.add(
          threads.submit(
              () -> {
                go.await();
                return store.fill(KEY);
              }));
    }
    go.countDown();
    FillWriter writer = null;
    List<FillReader> readers = new ArrayList<>();
    for (Future<FillLease> f : leases) {
      FillLease lease = f.get(20, TimeUnit.SECONDS);
      if (lease.kind() == FillLease.Kind.FILLER) {
        assertThat(writer).as("a second filler").isNull();
        writer = lease.writer();
      } else {
        readers.add(lease.reader());
      }
    }
    assertThat(writer).isNotNull();
    assertThat(readers).hasSize(clients - 1);

    List<AtomicLong> progress = new ArrayList<>();
    List<Future<byte[]>> results = new ArrayList<>();
    for (int i = 0; i < readers.size(); i++) {
      AtomicLong p = new AtomicLong();
      progress.add(p);
      FillReader r = readers.get(i);
      boolean zeroCopy = i % 2 == 0;
      results.add(threads.submit(follow(r, p, zeroCopy)));
    }
    writer.start(200, Fills.ok(body.length, "Content-Type", "application/octet-stream"));
    for (int c = 0; c < chunks; c++) {
      writer.write(ByteBuffer.wrap(body, c * chunk, chunk));
      long written = (long) (c + 1) * chunk;
      // Every follower has these bytes before the next ones exist: they read while it grows.
      await()
          .atMost(WAIT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> progress.stream().allMatch(p -> p.get() >= written));
    }
    assertThat(writer.complete()).isEqualTo(FillOutcome.COMMITTING);

    for (Future<byte[]> r : results) {
      assertThat(r.get(20, TimeUnit.SECONDS)).isEqualTo(body);
    }
    for (FillReader r : readers) {
      assertThat(r.state()).isEqualTo(FillState.COMPLETE);
      assertThat(r.head().orElseThrow().declaredLength()).isEqualTo(body.length);
      assertThat(r.head().orElseThrow().headerLookup().first("Content-Type"))
          .contains("application/octet-stream");
      assertThat(r.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);
      r.close();
    }
    assertThat(Fills.read(store.lookup(KEY).orElseThrow())).isEqualTo(body);
  }

  @Test
  void aFollowerThatReadsAfterTheCommitStillGetsEveryByte() throws Exception {
    byte[] body = Fills.body(200_000, 12);
    FillWriter writer = Fills.filler(store, KEY);
    FillReader reader = store.fill(KEY).reader();
    writer.start(200, Fills.ok(body.length));
    Fills.writeAll(writer, body, 30_000);
    writer.complete();
    assertThat(writer.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);

    // The temporary file has been renamed into the store; the reader's channel still reads it.
    assertThat(follow(reader, new AtomicLong(), true).call()).isEqualTo(body);
    reader.close();
    // Once every holder let go, a new request for the URL is no longer a follower.
    assertThat(store.fill(KEY).kind()).isEqualTo(FillLease.Kind.FILLER);
  }

  @Test
  void followersOfAnIntegrityMismatchStillGetTheCompleteDownload() throws Exception {
    byte[] body = Fills.body(50_000, 13);
    MirrorKey hashNamed =
        MirrorKey.of("http://h:80/kb_0000000000000000000000000000000000000000.cab", false);
    FillWriter writer = Fills.filler(store, hashNamed);
    FillReader reader = store.fill(hashNamed).reader();
    writer.start(200, Fills.ok(body.length));
    Fills.writeAll(writer, body, 10_000);

    assertThat(writer.complete()).isEqualTo(FillOutcome.INTEGRITY_MISMATCH);

    assertThat(reader.state()).isEqualTo(FillState.COMPLETE);
    assertThat(follow(reader, new AtomicLong(), false).call()).isEqualTo(body);
    reader.close();
    assertThat(store.lookup(hashNamed)).isEmpty();
  }

  @Test
  void followersOfAnAbortedFillSeeItFailAndNeverAComplete() throws Exception {
    FillWriter writer = Fills.filler(store, KEY);
    FillReader reader = store.fill(KEY).reader();
    Semaphore told = new Semaphore(0);
    assertThat(reader.awaitBeyond(-1, told::release)).isTrue();
    writer.start(200, Fills.ok(1000));
    assertThat(told.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
    writer.write(ByteBuffer.wrap(new byte[400]));
    assertThat(reader.awaitBeyond(400, told::release)).isTrue();

    writer.abort(FillOutcome.UPSTREAM_ERROR);

    assertThat(told.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
    assertThat(reader.state()).isEqualTo(FillState.ABORTED);
    assertThat(reader.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.UPSTREAM_ERROR);
    assertThatThrownBy(() -> reader.read(ByteBuffer.allocate(10), 0))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("upstream_error");
    assertThat(writer.complete()).isEqualTo(FillOutcome.UPSTREAM_ERROR);
    assertThat(reader.state()).isEqualTo(FillState.ABORTED);
    reader.close();
  }

  @Test
  void whatAFillGivenUpForAFullDiskHadWrittenStaysReadableToItsFollowersAndNoFileIsLeft()
      throws Exception {
    FillWriter writer = Fills.filler(store, KEY);
    FillReader reader = store.fill(KEY).reader();
    byte[] body = Fills.body(1000, 7);
    writer.start(200, Fills.ok(2000));
    writer.write(ByteBuffer.wrap(body));

    writer.abort(FillOutcome.DISK_FULL);

    assertThat(reader.state()).isEqualTo(FillState.ABORTED);
    assertThat(reader.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.DISK_FULL);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    assertThat(reader.transferTo(0, 2000, Channels.newChannel(sent))).isEqualTo(1000);
    assertThat(sent.toByteArray()).isEqualTo(body);
    try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
    reader.close();
    assertThatThrownBy(() -> reader.read(ByteBuffer.allocate(10), 0))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aShortBodyAbortsTheFollowersInsteadOfCompletingThem() throws Exception {
    FillWriter writer = Fills.filler(store, KEY);
    FillReader reader = store.fill(KEY).reader();
    writer.start(200, Fills.ok(1000));
    writer.write(ByteBuffer.wrap(new byte[999]));

    writer.complete();

    assertThat(reader.state()).isEqualTo(FillState.ABORTED);
    assertThat(reader.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.SHORT_BODY);
    reader.close();
  }

  @Test
  void aFollowerOfANonStorableResponseHasSentNothingAndCanFallBack() throws Exception {
    FillWriter writer = Fills.filler(store, KEY);
    FillReader reader = store.fill(KEY).reader();
    Semaphore told = new Semaphore(0);
    reader.awaitBeyond(-1, told::release);

    writer.start(404, Fills.ok(10));

    assertThat(told.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
    assertThat(reader.state()).isEqualTo(FillState.ABORTED);
    assertThat(reader.head()).isEmpty();
    reader.close();
  }

  @Test
  void aCallbackThatThrowsBreaksNeitherTheFillNorTheOtherFollowers() throws Exception {
    FillWriter writer = Fills.filler(store, KEY);
    FillReader bad = store.fill(KEY).reader();
    FillReader good = store.fill(KEY).reader();
    Semaphore told = new Semaphore(0);
    writer.start(200, Fills.ok(10));
    bad.awaitBeyond(
        0,
        () -> {
          throw new IllegalStateException("follower bug");
        });
    good.awaitBeyond(0, told::release);

    assertThat(writer.write(ByteBuffer.wrap(new byte[10]))).isTrue();

    assertThat(told.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
    writer.complete();
    assertThat(writer.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);
    bad.close();
    good.close();
  }

  @Test
  void awaitBeyondSaysWhenTheConditionAlreadyHolds() {
    FillWriter writer = Fills.filler(store, KEY);
    FillReader reader = store.fill(KEY).reader();
    writer.start(200, Fills.ok(100));
    writer.write(ByteBuffer.wrap(new byte[50]));

    assertThat(reader.awaitBeyond(-1, () -> {})).isFalse();
    assertThat(reader.awaitBeyond(49, () -> {})).isFalse();
    assertThat(reader.awaitBeyond(50, () -> {})).isTrue();
    reader.close();
  }

  /**
   * A follower as the proxy runs one: wait for the head, then send what is available and wait for
   * more, until the fill is complete and everything is sent.
   */
  private static Callable<byte[]> follow(FillReader r, AtomicLong progress, boolean zeroCopy) {
    return () -> {
      Semaphore signal = new Semaphore(0);
      if (r.awaitBeyond(-1, signal::release)) {
        signal.acquire();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
      long pos = 0;
      while (true) {
        if (r.state() == FillState.ABORTED) {
          throw new IOException("aborted");
        }
        long available = r.available();
        if (pos < available) {
          if (zeroCopy) {
            pos += r.transferTo(pos, available - pos, Channels.newChannel(out));
          } else {
            int n = r.read(buf.clear(), pos);
            out.write(buf.array(), 0, n);
            pos += n;
          }
          progress.set(pos);
          continue;
        }
        if (r.state() == FillState.COMPLETE && pos == r.available()) {
          return out.toByteArray();
        }
        if (r.awaitBeyond(pos, signal::release)) {
          signal.acquire();
        }
      }
    };
  }
}
