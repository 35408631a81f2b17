package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, finding 8 (fill amplification): a client that asks for a byte of many cold objects and
 * leaves must not make the upstream link carry, and the store keep, all of them.
 */
class MirrorStoreUnreadFillsTest {
  private static final String CLIENT = "10.0.0.7";
  private static final String OTHER = "10.0.0.8";

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private MirrorStore store;

  @BeforeEach
  void open() throws Exception {
    store =
        MirrorStore.open(
            MirrorSettings.defaults(dir).withSizes(1 << 30, 1 << 28).withMinFree(0),
            new FakeClock(Instant.parse("2026-11-23T10:00:00Z")),
            registry,
            new FakeDisk(dir, 1L << 40));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aFillCountsAsUnreadForItsClientOnlyWhileItRunsWithNoReader() throws Exception {
    FillWriter writer = store.fill(key(1), CLIENT, false).writer();
    FillReader own = writer.follow();
    writer.start(200, Fills.ok(1000));
    assertThat(store.unreadFills(CLIENT)).isZero();

    own.close();
    assertThat(store.unreadFills(CLIENT)).isEqualTo(1);
    assertThat(unreadGauge()).isEqualTo(1.0);

    // Another client joins: the fill is read again, and leaves: unread again.
    FillReader joined = store.fill(key(1), OTHER, true).reader();
    assertThat(store.unreadFills(CLIENT)).isZero();
    joined.close();
    assertThat(store.unreadFills(CLIENT)).isEqualTo(1);
    assertThat(store.unreadFills(OTHER)).as("only the client that started it").isZero();

    // Once the body is in, the fill costs the upstream nothing more.
    writer.write(ByteBuffer.wrap(Fills.body(1000, 1)));
    writer.complete();
    assertThat(writer.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);
    assertThat(store.unreadFills(CLIENT)).isZero();
    assertThat(unreadGauge()).isZero();
  }

  @Test
  void aFillARangeStartedCountsFromTheStartUntilAnotherClientReadsIt() {
    FillWriter writer = store.fill(key(1), CLIENT, true).writer();
    FillReader own = writer.follow();
    writer.start(200, Fills.ok(1000));
    assertThat(store.unreadFills(CLIENT)).as("its client asked for a part only").isEqualTo(1);

    FillReader joined = store.fill(key(1), OTHER, false).reader();
    assertThat(store.unreadFills(CLIENT)).isZero();
    joined.close();
    own.close();
    assertThat(store.unreadFills(CLIENT)).isEqualTo(1);
  }

  @Test
  void rangesSentOnManyConnectionsAtOnceStartNoMoreFillsThanTheBound() throws Exception {
    int requests = 32;
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<FillLease>> leases = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        MirrorKey k = key(i);
        leases.add(
            threads.submit(
                () -> {
                  go.await();
                  return store.fill(k, CLIENT, true);
                }));
      }
      go.countDown();
      int fillers = 0;
      for (Future<FillLease> f : leases) {
        FillLease lease = f.get(10, TimeUnit.SECONDS);
        if (lease.kind() == FillLease.Kind.FILLER) {
          fillers++;
          lease.writer().follow(); // each client still reads its own range
        } else {
          assertThat(lease.reason()).isEqualTo(FillOutcome.UNREAD_LIMIT);
        }
      }
      assertThat(fillers).isEqualTo(MirrorSettings.DEFAULT_MAX_UNREAD_FILLS_PER_CLIENT);
      assertThat(store.unreadFills(CLIENT)).isEqualTo(fillers);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anAbortedFillNoLongerCounts() {
    FillWriter writer = store.fill(key(1), CLIENT, false).writer();
    writer.follow().close();
    assertThat(store.unreadFills(CLIENT)).isEqualTo(1);

    writer.abort(FillOutcome.UPSTREAM_ERROR);

    assertThat(store.unreadFills(CLIENT)).isZero();
  }

  @Test
  void beyondTheBoundAClientsRangeStartsNoFillButOthersAndWholeRequestsStill() {
    abandon(key(1), CLIENT);
    abandon(key(2), CLIENT);

    FillLease refused = store.fill(key(3), CLIENT, true);

    assertThat(refused.kind()).isEqualTo(FillLease.Kind.NOT_NOW);
    assertThat(refused.reason()).isEqualTo(FillOutcome.UNREAD_LIMIT);
    assertThat(
            registry.get("patchgate.mirror.fills").tag("result", "unread_limit").counter().count())
        .isEqualTo(1.0);
    // A range on a fill under way costs nothing more: it joins.
    assertThat(store.fill(key(1), CLIENT, true).kind()).isEqualTo(FillLease.Kind.FOLLOWER);
    // Other clients, and a request for the whole object, are not bounded.
    assertThat(store.fill(key(4), OTHER, true).kind()).isEqualTo(FillLease.Kind.FILLER);
    assertThat(store.fill(key(5), CLIENT, false).kind()).isEqualTo(FillLease.Kind.FILLER);
  }

  @Test
  void whenAnAbandonedFillEndsTheClientMayStartAnotherOne() {
    FillWriter first = abandon(key(1), CLIENT);
    abandon(key(2), CLIENT);
    assertThat(store.fill(key(3), CLIENT, true).kind()).isEqualTo(FillLease.Kind.NOT_NOW);

    first.abort(FillOutcome.UPSTREAM_ERROR);

    assertThat(store.fill(key(3), CLIENT, true).kind()).isEqualTo(FillLease.Kind.FILLER);
  }

  @Test
  void zeroMeansARangeNeverStartsAFill() throws Exception {
    store.close();
    store =
        MirrorStore.open(
            MirrorSettings.defaults(dir).withMinFree(0).withMaxUnreadFillsPerClient(0),
            new FakeClock(Instant.parse("2026-11-23T10:00:00Z")),
            new SimpleMeterRegistry(),
            new FakeDisk(dir, 1L << 40));

    assertThat(store.fill(key(1), CLIENT, true).kind()).isEqualTo(FillLease.Kind.NOT_NOW);
    assertThat(store.fill(key(1), CLIENT, false).kind()).isEqualTo(FillLease.Kind.FILLER);
  }

  /** A fill {@code client} starts, gets the head of, and leaves. */
  private FillWriter abandon(MirrorKey key, String client) {
    FillWriter writer = store.fill(key, client, true).writer();
    FillReader reader = writer.follow();
    writer.start(200, Fills.ok(1 << 20));
    reader.close();
    return writer;
  }

  private double unreadGauge() {
    return registry.get("patchgate.mirror.fills.unread").gauge().value();
  }

  private static MirrorKey key(int n) {
    return MirrorKey.of("http://vendor.example:80/kb.cab?" + n, false);
  }
}
