package dev.patchgate.mirror;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The on-disk package store, as the gateway and the {@code mirror} command see it: committed
 * objects under {@code dir/objects}, single-flight fills through {@code dir/tmp}, size-bounded by
 * least-recently-used eviction.
 *
 * <p>A facade over the parts that do the work, each with one concern: {@link CommittedObjects} (the
 * index, the memory copies and every change to the files of committed objects), {@link
 * InflightFills} (the fills under way and their admission), {@link StoreEviction} (least recently
 * used first, by size and by free space), {@link StoreAdmin} (list, purge, verify) and {@link
 * StoreLock} (the directory's owner). This class wires them, owns the I/O thread and the store's
 * life cycle, and is what {@link Fill} and {@link StoredObject} call back into.
 *
 * <p><b>Commit protocol.</b> A fill writes {@code tmp/<key>-<gen>.part}; when the body is complete
 * and verified (length, announced SHA-1) the store's I/O thread forces it to disk, renames it to
 * {@code objects/ab/<key>-<gen>.data} (a name no other commit uses), then writes {@code
 * objects/ab/<key>.meta} (to {@code tmp/}, forced, renamed over the old one): that rename is the
 * commit point. Then the index points at the new object and the replaced object's data file, if
 * any, is deleted. A crash at any step leaves either the old committed object or the new one;
 * start-up removes the rest (see {@link StoreScan}).
 *
 * <p><b>Locking.</b> Every change to the committed object of one URL (commit, eviction, purge,
 * quarantine, the write of its access record) runs under that URL's lock stripe in {@link
 * CommittedObjects}; lookups take no lock. A fill's own state changes under the fill's lock ({@link
 * Fill}); the fills under way are a concurrent map, one per URL ({@link InflightFills}).
 *
 * <p><b>Threading.</b> {@link #lookup}, {@link #fill}, {@link #revalidated}, {@link #stats} and
 * {@link StoredObject#touch()} never block: they touch memory only (and {@code fill} one {@code
 * statvfs}). Commits, evictions, deletions and the lazy write of access records run on one daemon
 * thread, {@value #IO_THREAD}. {@link #purge}, {@link #verify}, {@link #flush} and {@link #close}
 * are blocking administrative calls. One process owns a store directory at a time ({@code
 * dir/lock}); {@link #list(Path)} reads a store another process owns.
 */
public final class MirrorStore implements AutoCloseable {
  static final String IO_THREAD = "patchgate-mirror-io";

  private final MirrorSettings settings;
  private final Clock clock;
  private final StoreLayout layout;
  private final UsableSpace space;
  private final MirrorMetrics metrics;
  private final CommittedObjects objects;
  private final UnreadFills unread = new UnreadFills();
  private final ScheduledThreadPoolExecutor io;
  private final StoreEviction eviction;
  private final InflightFills fills;
  private final StoreAdmin admin;
  private final StoreLock lock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MirrorStore(
      MirrorSettings settings,
      Clock clock,
      MeterRegistry registry,
      UsableSpace space,
      StoreLayout layout,
      StoreLock lock) {
    this.settings = settings;
    this.clock = clock;
    this.space = space;
    this.layout = layout;
    this.lock = lock;
    this.metrics = new MirrorMetrics(registry);
    this.objects =
        new CommittedObjects(
            layout,
            clock,
            metrics,
            new MemoryTier(settings.memoryBytes(), settings.memoryMaxObjectBytes()));
    this.io =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, IO_THREAD);
              t.setDaemon(true);
              return t;
            });
    this.eviction = new StoreEviction(objects, settings.maxSizeBytes(), metrics, io);
    this.fills =
        new InflightFills(
            this,
            settings,
            space,
            metrics,
            unread,
            eviction,
            closed,
            InflightFills.MAX_IN_PROGRESS);
    this.admin = new StoreAdmin(objects);
    metrics.gauges(
        this,
        s -> s.objects.bytes(),
        s -> s.objects.size(),
        s -> s.fills.size(),
        s -> s.unread.total(),
        s -> s.objects.memoryBytes());
  }

  /**
   * Opens (creating if needed) the store in {@code settings.dir()}: takes its lock, removes what a
   * crash left in {@code tmp/} and every half-committed object, rebuilds the index from the meta
   * files (no data file is read), evicts down to the size limit if it was lowered, and starts the
   * I/O thread. Blocking; at start-up.
   *
   * @param registry where the meters go; one store per registry
   * @throws IOException if the directory cannot be created or read, or another process (or another
   *     open store in this one) holds it
   */
  public static MirrorStore open(MirrorSettings settings, Clock clock, MeterRegistry registry)
      throws IOException {
    Files.createDirectories(settings.dir());
    FileStore fileStore = Files.getFileStore(settings.dir());
    return open(settings, clock, registry, fileStore::getUsableSpace);
  }

  static MirrorStore open(
      MirrorSettings settings, Clock clock, MeterRegistry registry, UsableSpace space)
      throws IOException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(registry, "registry");
    StoreLayout layout = new StoreLayout(settings.dir());
    layout.createDirectories();
    StoreLock lock = StoreLock.acquire(settings.dir(), layout);
    MirrorStore store;
    try {
      StoreScan.Result scan = StoreScan.rebuild(layout);
      store = new MirrorStore(settings, clock, registry, space, layout, lock);
      store.objects.restore(scan.objects());
      store.eviction.evictIfNeeded(null);
    } catch (IOException | RuntimeException e) {
      lock.release();
      throw e;
    }
    long period = settings.accessFlushInterval().toMillis();
    store.io.scheduleWithFixedDelay(store::maintain, period, period, TimeUnit.MILLISECONDS);
    return store;
  }

  /**
   * Reads the objects of a store without opening it: no lock, nothing removed; for {@code mirror
   * ls} beside a running gateway. Sorted by URL. Blocking.
   */
  public static List<ListedObject> list(Path dir) throws IOException {
    return StoreAdmin.list(dir);
  }

  // ---- the request path ----

  /**
   * The committed object for {@code key}, if any; marks it recently used. Non-blocking. A miss is
   * counted in {@code patchgate.mirror.lookups{result="miss"}}; call {@link StoredObject#touch()}
   * when serving it.
   */
  public Optional<StoredObject> lookup(MirrorKey key) {
    StoredObject o = closed.get() ? null : objects.get(key.hex());
    if (o == null || !o.url().equals(key.url())) {
      metrics.miss();
      return Optional.empty();
    }
    o.recordLookup(clock.millis());
    return Optional.of(o);
  }

  /**
   * The whole content of {@code object} from memory, when it is small enough for the memory cache
   * ({@code mirror.memory-max-object-size}); read from its file on first use and checked against
   * its length and SHA-256 first: a damaged file is quarantined and empty is returned, so it is
   * never handed out. Empty as well when the object is larger, the memory cache is off, or the file
   * is gone (evicted or purged since the lookup): serve the file, or treat it as a miss. Blocking
   * on first use (one read of a small file); a read-only view, shared.
   */
  public Optional<ByteBuffer> content(StoredObject object) {
    return objects.content(object);
  }

  /**
   * Joins or starts the one upstream fetch of {@code key}: {@link FillLease.Kind#FILLER} if there
   * is none (the caller fetches and feeds the writer), {@link FillLease.Kind#FOLLOWER} if one is
   * under way (the caller serves its client from the reader), {@link FillLease.Kind#NOT_NOW} when
   * the file system has less than {@code minFreeBytes} usable (eviction is then asked to make room;
   * pass the request through) or the store is closed. Non-blocking apart from one {@code statvfs}.
   *
   * <p>Take the lease before sending the upstream request, so a second client for the same URL
   * becomes a follower instead of a second fetch. With a stored object due for revalidation the
   * filler sends the conditional request, then calls {@link FillWriter#notModified} on a 304 or
   * {@link FillWriter#start} on a 200.
   */
  public FillLease fill(MirrorKey key) {
    return fill(key, null, false);
  }

  /**
   * Like {@link #fill(MirrorKey)}, for a request from {@code client}: a fill it starts counts
   * against that client while nobody reads it (see {@link MirrorSettings#maxUnreadFillsPerClient}).
   * A {@code partial} request (a range) joins a fill under way as usual, but starts none while the
   * client already has that many unread fills: {@link FillLease.Kind#NOT_NOW} with {@link
   * FillOutcome#UNREAD_LIMIT} (counted in {@code patchgate.mirror.fills{result=unread_limit}}), and
   * the caller passes the range through.
   *
   * <p>A fill a range starts counts as unread from the start (its client asked for a part only, and
   * is the reader the caller takes next), and the check and that count are one atomic step: a
   * client sending ranges on many connections at once gets no more fills than the bound.
   *
   * @param client the client's address as the audit record names it, or null for none
   * @param partial true when the client asked for part of the object only
   */
  public FillLease fill(MirrorKey key, String client, boolean partial) {
    return fills.lease(key, client, partial);
  }

  /**
   * The upstream answered a conditional request for {@code key} with {@code 304}: the stored
   * object's header fields are updated from the answer and it counts as validated now. The meta
   * file follows lazily. Returns false if the object is gone. Non-blocking.
   */
  public boolean revalidated(MirrorKey key, HeaderLookup notModifiedHeaders) {
    return objects.revalidated(key, notModifiedHeaders);
  }

  // ---- administration ----

  /** Every committed object, sorted by URL. Non-blocking (memory only). */
  public List<ListedObject> ls() {
    return admin.ls();
  }

  /**
   * Removes every committed object whose URL starts with {@code urlPrefix} (e.g. {@code
   * http://download.example.com:80/}; {@code http://} removes everything). Fills under way are not
   * affected. Blocking: deletes files.
   */
  public PurgeReport purge(String urlPrefix) {
    return admin.purge(urlPrefix);
  }

  /**
   * Re-hashes every committed object and moves each whose length or SHA-256 differs from its meta
   * (or whose data file is gone) to {@code quarantine/}, out of the index. Blocking: reads the
   * whole store on the caller's thread (minutes for a big one); the store keeps serving meanwhile.
   */
  public VerifyReport verify() throws IOException {
    return admin.verify();
  }

  /** The store's usage now. Non-blocking apart from one {@code statvfs}. */
  public MirrorStats stats() {
    long usable;
    try {
      usable = space.bytes();
    } catch (IOException e) {
      usable = -1;
    }
    return new MirrorStats(
        objects.size(), objects.bytes(), settings.maxSizeBytes(), fills.size(), usable);
  }

  /**
   * How many fills {@code client} started that are receiving with nobody reading them.
   * Non-blocking.
   */
  public int unreadFills(String client) {
    return unread.of(client);
  }

  /**
   * Gives disk space back to a neighbour on the same file system (the gateway's audit log): removes
   * committed objects, least recently used first, until their lengths add up to {@code bytes} or
   * the store is empty, counted in {@code patchgate.mirror.evictions{cause=audit}}. Fills under way
   * are not touched. Blocking: waits for the store's I/O thread, which deletes the files.
   *
   * @return the bytes freed; 0 when nothing was stored, or the store is closed
   */
  public long freeSpace(long bytes) {
    if (bytes <= 0 || closed.get()) {
      return 0;
    }
    try {
      return io.submit(() -> eviction.evictLeastRecentlyUsed(bytes, "audit")).get();
    } catch (RejectedExecutionException e) {
      return 0; // closing
    } catch (ExecutionException e) {
      metrics.error("evict");
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Writes the pending access records (hits, last access) to the meta files now. Blocking. */
  public void flush() {
    objects.flushAccessRecords();
  }

  /**
   * Stops fills (those still receiving are aborted with {@link FillOutcome#CLOSED}; those
   * committing finish), waits for the I/O thread, writes the access records and releases the
   * directory. Blocking; idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    fills.abortAll();
    io.shutdown();
    boolean interrupted = false;
    try {
      if (!io.awaitTermination(10, TimeUnit.MINUTES)) {
        metrics.error("close");
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    objects.flushAccessRecords();
    try {
      lock.release();
    } catch (IOException e) {
      metrics.error("close");
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- for fills ----

  MirrorSettings settings() {
    return settings;
  }

  UnreadFills unreadFills() {
    return unread;
  }

  StoreLayout layout() {
    return layout;
  }

  long nowMillis() {
    return clock.millis();
  }

  Instant now() {
    return clock.instant();
  }

  void recordError(String op) {
    metrics.error(op);
  }

  void recordIntegrityFailure(String stage) {
    metrics.integrityFailure(stage);
  }

  /** See {@link InflightFills#admit}. */
  boolean admit(Fill fill, long declared) {
    return fills.admit(fill, declared);
  }

  /** Whether usable space fell below half the floor: fills in progress stop. */
  boolean spaceExhausted() {
    return fills.spaceExhausted();
  }

  void commitLater(Fill fill, String sha256, Optional<String> sha1) {
    try {
      io.execute(() -> fill.commit(sha256, sha1));
    } catch (RejectedExecutionException e) {
      fill.commitRejected();
    }
  }

  /** Runs on the I/O thread: moves a verified fill into the store; see the class comment. */
  void publish(String hex, String dataName, Path tmp, StoredMeta meta) throws IOException {
    StoredObject committed = objects.publish(hex, dataName, tmp, meta);
    try {
      eviction.evictIfNeeded(committed);
    } catch (RuntimeException e) {
      // The object is committed whatever eviction does; the next commit evicts again.
      metrics.error("evict");
    }
  }

  void settled(Fill fill, FillOutcome outcome) {
    fills.settled(fill, outcome);
  }

  // ---- the I/O thread ----

  /** Periodic work: access records to disk, stalled fills aborted. */
  void maintain() {
    try {
      objects.flushAccessRecords();
      fills.abortStalled(clock.millis(), settings.fillStallTimeout().toMillis());
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: count it and carry on.
      metrics.error("maintain");
    }
  }

  /** Waits until the I/O thread has run everything queued so far; for tests. */
  void awaitIo() throws InterruptedException, ExecutionException {
    io.submit(() -> {}).get();
  }
}
