package dev.patchgate.mirror;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The on-disk package store: committed objects under {@code dir/objects}, single-flight fills
 * through {@code dir/tmp}, size-bounded by least-recently-used eviction.
 *
 * <p><b>Commit protocol.</b> A fill writes {@code tmp/<key>-<gen>.part}; when the body is complete
 * and verified (length, announced SHA-1) the store's I/O thread forces it to disk, renames it to
 * {@code objects/ab/<key>-<gen>.data} (a name no other commit uses), then writes {@code
 * objects/ab/<key>.meta} (to {@code tmp/}, forced, renamed over the old one): that rename is the
 * commit point. Then the index points at the new object and the replaced object's data file, if
 * any, is deleted. A crash at any step leaves either the old committed object or the new one;
 * start-up removes the rest (see {@link StoreScan}).
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
  private static final int LOCK_STRIPES = 64;

  /**
   * The stores open in this JVM, by real directory. Checked before the lock file is opened: closing
   * any channel on a file drops every POSIX lock this process holds on it, so a second open that
   * merely tried the lock would end the first store's lock.
   */
  private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();

  private final MirrorSettings settings;
  private final Clock clock;
  private final StoreLayout layout;
  private final UsableSpace space;
  private final MirrorMetrics metrics;
  private final ObjectIndex index = new ObjectIndex();
  private final MemoryTier memory;
  private final ConcurrentHashMap<String, Fill> inflight = new ConcurrentHashMap<>();
  private final UnreadFills unread = new UnreadFills();
  private final Set<StoredObject> dirty = ConcurrentHashMap.newKeySet();
  private final Object[] locks = new Object[LOCK_STRIPES];
  private final ScheduledThreadPoolExecutor io;
  private final FileChannel lockChannel;
  private final FileLock fileLock;
  private final Path realDir;
  private final AtomicLong roomWanted = new AtomicLong();
  private final AtomicBoolean roomScheduled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private MirrorStore(
      MirrorSettings settings,
      Clock clock,
      MeterRegistry registry,
      UsableSpace space,
      StoreLayout layout,
      FileChannel lockChannel,
      FileLock fileLock,
      Path realDir) {
    this.settings = settings;
    this.realDir = realDir;
    this.clock = clock;
    this.space = space;
    this.layout = layout;
    this.lockChannel = lockChannel;
    this.fileLock = fileLock;
    this.metrics = new MirrorMetrics(registry);
    this.memory = new MemoryTier(settings.memoryBytes(), settings.memoryMaxObjectBytes());
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
    this.io =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, IO_THREAD);
              t.setDaemon(true);
              return t;
            });
    metrics.gauges(
        this,
        s -> s.index.bytes(),
        s -> s.index.size(),
        s -> s.inflight.size(),
        s -> s.unread.total(),
        s -> s.memory.bytes());
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
    Path realDir = settings.dir().toRealPath();
    if (!OPEN_HERE.add(realDir)) {
      throw new IOException("mirror store " + settings.dir() + " is already open in this process");
    }
    try {
      return openLocked(settings, clock, registry, space, layout, realDir);
    } catch (IOException | RuntimeException e) {
      OPEN_HERE.remove(realDir);
      throw e;
    }
  }

  private static MirrorStore openLocked(
      MirrorSettings settings,
      Clock clock,
      MeterRegistry registry,
      UsableSpace space,
      StoreLayout layout,
      Path realDir)
      throws IOException {
    FileChannel lockChannel =
        FileChannel.open(layout.lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock fileLock;
    try {
      fileLock = lockChannel.tryLock();
    } catch (IOException e) {
      lockChannel.close();
      throw e;
    }
    if (fileLock == null) {
      lockChannel.close();
      throw new IOException(
          "mirror store "
              + settings.dir()
              + " is in use by another patchgate process (it holds "
              + layout.lockFile
              + ")");
    }
    MirrorStore store;
    try {
      StoreScan.Result scan = StoreScan.rebuild(layout);
      store =
          new MirrorStore(settings, clock, registry, space, layout, lockChannel, fileLock, realDir);
      store.load(scan.objects());
    } catch (IOException | RuntimeException e) {
      fileLock.release();
      lockChannel.close();
      throw e;
    }
    long period = settings.accessFlushInterval().toMillis();
    store.io.scheduleWithFixedDelay(store::maintain, period, period, TimeUnit.MILLISECONDS);
    return store;
  }

  private void load(List<StoreScan.Found> found) {
    List<StoredObject> objects = new ArrayList<>(found.size());
    for (StoreScan.Found f : found) {
      MetaRecord r = f.record();
      objects.add(
          new StoredObject(
              this,
              f.hex(),
              r.dataName(),
              f.data(),
              r.meta(),
              r.hits(),
              r.lastAccess().toEpochMilli()));
    }
    // Inserted oldest access first, so the LRU order survives the restart.
    objects.sort(Comparator.comparingLong(StoredObject::lastAccessMillis));
    for (StoredObject o : objects) {
      index.put(o);
    }
    evictIfNeeded(null);
  }

  /**
   * Reads the objects of a store without opening it: no lock, nothing removed; for {@code mirror
   * ls} beside a running gateway. Sorted by URL. Blocking.
   */
  public static List<ListedObject> list(Path dir) throws IOException {
    List<ListedObject> out = new ArrayList<>();
    for (StoreScan.Found f : StoreScan.readOnly(new StoreLayout(dir))) {
      MetaRecord r = f.record();
      out.add(
          new ListedObject(
              r.meta().url(),
              r.meta().length(),
              r.meta().storedAt(),
              r.lastAccess(),
              r.hits(),
              r.meta().sha256()));
    }
    out.sort(Comparator.comparing(ListedObject::url));
    return out;
  }

  // ---- the request path ----

  /**
   * The committed object for {@code key}, if any; marks it recently used. Non-blocking. A miss is
   * counted in {@code patchgate.mirror.misses}; call {@link StoredObject#touch()} when serving it.
   */
  public Optional<StoredObject> lookup(MirrorKey key) {
    StoredObject o = closed.get() ? null : index.get(key.hex());
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
    if (!memory.holds(object.length())) {
      return Optional.empty();
    }
    byte[] bytes = memory.get(object.dataName());
    if (bytes == null) {
      bytes = readChecked(object);
      if (bytes == null) {
        return Optional.empty();
      }
      memory.put(object.dataName(), bytes);
    }
    return Optional.of(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  private byte[] readChecked(StoredObject object) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(object.dataPath());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      metrics.error("read");
      return null;
    }
    StoredMeta meta = object.meta();
    if (bytes.length != meta.length()) {
      quarantine(object, "length " + bytes.length + " (expected " + meta.length() + ")", "read");
      return null;
    }
    if (!Hex.of(Hex.digest("SHA-256").digest(bytes)).equals(meta.sha256())) {
      quarantine(object, "content does not match its SHA-256", "read");
      return null;
    }
    return bytes;
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
    Objects.requireNonNull(key, "key");
    while (true) {
      if (closed.get()) {
        return notNow(FillOutcome.CLOSED);
      }
      Fill existing = inflight.get(key.hex());
      if (existing != null) {
        FillReader reader = existing.follow();
        if (reader != null) {
          return FillLease.follower(reader);
        }
        // It has settled and let go of its file; it is leaving the map.
        inflight.remove(key.hex(), existing);
        continue;
      }
      long usable = usable();
      if (usable < settings.minFreeBytes()) {
        requestRoom(settings.minFreeBytes() - usable);
        return notNow(FillOutcome.DISK_FULL);
      }
      boolean bounded = partial && client != null;
      if (bounded && !unread.tryAdd(client, settings.maxUnreadFillsPerClient())) {
        return notNow(FillOutcome.UNREAD_LIMIT);
      }
      Fill fill = new Fill(this, key, client, bounded);
      if (inflight.putIfAbsent(key.hex(), fill) != null) {
        if (bounded) {
          unread.remove(client); // another request started this URL's fill meanwhile: join it
        }
        continue;
      }
      if (closed.get()) {
        fill.abort(FillOutcome.CLOSED);
        return notNow(FillOutcome.CLOSED);
      }
      return FillLease.filler(new FillWriter(fill));
    }
  }

  private FillLease notNow(FillOutcome reason) {
    metrics.fill(reason);
    return FillLease.notNow(reason);
  }

  /**
   * The upstream answered a conditional request for {@code key} with {@code 304}: the stored
   * object's header fields are updated from the answer and it counts as validated now. The meta
   * file follows lazily. Returns false if the object is gone. Non-blocking.
   */
  public boolean revalidated(MirrorKey key, HeaderLookup notModifiedHeaders) {
    StoredObject o = index.get(key.hex());
    if (o == null || !o.url().equals(key.url())) {
      return false;
    }
    o.replaceMeta(o.meta().revalidated(notModifiedHeaders, clock.instant()));
    dirty.add(o);
    return true;
  }

  // ---- administration ----

  /** Every committed object, sorted by URL. Non-blocking (memory only). */
  public List<ListedObject> ls() {
    List<ListedObject> out = new ArrayList<>();
    for (StoredObject o : index.snapshot()) {
      StoredMeta m = o.meta();
      out.add(
          new ListedObject(
              m.url(), m.length(), m.storedAt(), o.lastAccess(), o.hits(), m.sha256()));
    }
    out.sort(Comparator.comparing(ListedObject::url));
    return out;
  }

  /**
   * Removes every committed object whose URL starts with {@code urlPrefix} (e.g. {@code
   * http://download.example.com:80/}; {@code http://} removes everything). Fills under way are not
   * affected. Blocking: deletes files.
   */
  public PurgeReport purge(String urlPrefix) {
    Objects.requireNonNull(urlPrefix, "urlPrefix");
    int count = 0;
    long bytes = 0;
    for (StoredObject o : index.snapshot()) {
      if (o.url().startsWith(urlPrefix) && remove(o)) {
        count++;
        bytes += o.length();
      }
    }
    return new PurgeReport(count, bytes);
  }

  /**
   * Re-hashes every committed object and moves each whose length or SHA-256 differs from its meta
   * (or whose data file is gone) to {@code quarantine/}, out of the index. Blocking: reads the
   * whole store on the caller's thread (minutes for a big one); the store keeps serving meanwhile.
   */
  public VerifyReport verify() throws IOException {
    List<StoredObject> all = index.snapshot();
    all.sort(Comparator.comparing(StoredObject::url));
    List<VerifyReport.Quarantined> quarantined = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    int checked = 0;
    long bytes = 0;
    for (StoredObject o : all) {
      String problem = null;
      long read = 0;
      try (FileChannel ch = o.open()) {
        MessageDigest md = Hex.digest("SHA-256");
        int n;
        while ((n = ch.read(buf.clear(), read)) > 0) {
          md.update(buf.array(), 0, n);
          read += n;
        }
        if (read != o.length()) {
          problem = "length mismatch";
        } else if (!Hex.of(md.digest()).equals(o.meta().sha256())) {
          problem = "sha256 mismatch";
        }
      } catch (NoSuchFileException e) {
        if (index.get(o.hex()) != o) {
          continue;
        }
        problem = "data file missing";
      }
      checked++;
      bytes += read;
      if (problem != null) {
        quarantine(o, problem, "verify").ifPresent(quarantined::add);
      }
    }
    return new VerifyReport(checked, bytes, quarantined);
  }

  private Optional<VerifyReport.Quarantined> quarantine(
      StoredObject o, String problem, String stage) {
    Path movedTo = null;
    synchronized (lockFor(o.hex())) {
      if (!index.remove(o)) {
        return Optional.empty();
      }
      dirty.remove(o);
      memory.forget(o.dataName());
      Path dataTarget = layout.quarantine.resolve(o.dataName());
      String metaName = o.dataName().substring(0, o.dataName().length() - 5) + ".meta";
      try {
        Files.move(o.dataPath(), dataTarget, StandardCopyOption.REPLACE_EXISTING);
        movedTo = dataTarget;
      } catch (IOException e) {
        deleteOrCount(o.dataPath());
      }
      try {
        Files.move(
            layout.meta(o.hex()),
            layout.quarantine.resolve(metaName),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        deleteOrCount(layout.meta(o.hex()));
      }
    }
    metrics.integrityFailure(stage);
    return Optional.of(new VerifyReport.Quarantined(o.url(), problem, movedTo));
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
        index.size(), index.bytes(), settings.maxSizeBytes(), inflight.size(), usable);
  }

  /**
   * How many fills {@code client} started that are receiving with nobody reading them.
   * Non-blocking.
   */
  public int unreadFills(String client) {
    return unread.of(client);
  }

  /** Writes the pending access records (hits, last access) to the meta files now. Blocking. */
  public void flush() {
    flushAccessRecords();
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
    for (Fill f : inflight.values()) {
      f.abort(FillOutcome.CLOSED);
    }
    io.shutdown();
    boolean interrupted = false;
    try {
      if (!io.awaitTermination(10, TimeUnit.MINUTES)) {
        metrics.error("close");
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    flushAccessRecords();
    try {
      fileLock.release();
      lockChannel.close();
    } catch (IOException e) {
      metrics.error("close");
    } finally {
      OPEN_HERE.remove(realDir);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- for fills and stored objects ----

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

  void accessed(StoredObject o) {
    metrics.hit();
    dirty.add(o);
  }

  void recordError(String op) {
    metrics.error(op);
  }

  void recordIntegrityFailure(String stage) {
    metrics.integrityFailure(stage);
  }

  /**
   * Whether a fill that will write {@code declared} bytes (-1: unknown) fits: usable space minus
   * what other fills have declared and not yet written must stay above {@code minFreeBytes}. Asks
   * eviction for the difference when it does not.
   */
  boolean admit(Fill fill, long declared) {
    long reserved = 0;
    for (Fill other : inflight.values()) {
      if (other != fill) {
        reserved += other.reservedRemaining();
      }
    }
    long deficit = settings.minFreeBytes() + Math.max(0, declared) + reserved - usable();
    if (deficit > 0) {
      requestRoom(deficit);
      return false;
    }
    return true;
  }

  /** Whether usable space fell below half the floor: fills in progress stop. */
  boolean spaceExhausted() {
    return usable() < settings.minFreeBytes() / 2;
  }

  private long usable() {
    try {
      return space.bytes();
    } catch (IOException e) {
      metrics.error("usable-space");
      return 0;
    }
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
    Path shard = layout.shard(hex);
    Files.createDirectories(shard);
    Path data = shard.resolve(dataName);
    StoredObject committed;
    synchronized (lockFor(hex)) {
      Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
      long now = clock.millis();
      StoredObject object = new StoredObject(this, hex, dataName, data, meta, 0, now);
      try {
        MetaFile.write(layout.meta(hex), layout.tmpMeta(hex), object.record());
      } catch (IOException e) {
        deleteOrCount(data);
        throw e;
      }
      StoredObject old = index.put(object);
      if (old != null) {
        dirty.remove(old);
        memory.forget(old.dataName());
        deleteOrCount(old.dataPath());
      }
      committed = object;
    }
    try {
      evictIfNeeded(committed);
    } catch (RuntimeException e) {
      // The object is committed whatever eviction does; the next commit evicts again.
      metrics.error("evict");
    }
  }

  void settled(Fill fill, FillOutcome outcome) {
    inflight.remove(fill.key().hex(), fill);
    metrics.fill(outcome);
  }

  // ---- the I/O thread ----

  /** Periodic work: access records to disk, stalled fills aborted. */
  void maintain() {
    try {
      flushAccessRecords();
      long now = clock.millis();
      long limit = settings.fillStallTimeout().toMillis();
      for (Fill f : inflight.values()) {
        FillState s = f.state();
        boolean receiving = s == FillState.PENDING || s == FillState.STREAMING;
        if (receiving && now - f.lastProgressMillis() >= limit) {
          f.abort(FillOutcome.STALLED);
        }
      }
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: count it and carry on.
      metrics.error("maintain");
    }
  }

  /** Waits until the I/O thread has run everything queued so far; for tests. */
  void awaitIo() throws InterruptedException, ExecutionException {
    io.submit(() -> {}).get();
  }

  private void flushAccessRecords() {
    for (Iterator<StoredObject> it = dirty.iterator(); it.hasNext(); ) {
      StoredObject o = it.next();
      it.remove();
      synchronized (lockFor(o.hex())) {
        if (index.get(o.hex()) != o) {
          continue;
        }
        try {
          MetaFile.write(layout.meta(o.hex()), layout.tmpMeta(o.hex()), o.record());
        } catch (IOException e) {
          metrics.error("meta-write");
        }
      }
    }
  }

  /** Evicts down to the low-water mark if over max-size, never {@code keep} (the new commit). */
  private void evictIfNeeded(StoredObject keep) {
    long max = settings.maxSizeBytes();
    if (index.bytes() <= max) {
      return;
    }
    // Down to a low-water mark, so the sort behind the LRU order runs once per 5% of max-size.
    long target = max - max / 20;
    for (StoredObject o : index.leastRecentlyUsedFirst()) {
      if (index.bytes() <= target) {
        break;
      }
      if (o != keep && remove(o)) {
        metrics.eviction("size");
      }
    }
  }

  private void requestRoom(long bytes) {
    roomWanted.accumulateAndGet(bytes, Math::max);
    if (roomScheduled.compareAndSet(false, true)) {
      try {
        io.execute(this::makeRoom);
      } catch (RejectedExecutionException e) {
        roomScheduled.set(false);
      }
    }
  }

  private void makeRoom() {
    roomScheduled.set(false);
    long wanted = roomWanted.getAndSet(0);
    long freed = 0;
    for (StoredObject o : index.leastRecentlyUsedFirst()) {
      if (freed >= wanted) {
        break;
      }
      if (remove(o)) {
        freed += o.length();
        metrics.eviction("space");
      }
    }
  }

  private boolean remove(StoredObject o) {
    synchronized (lockFor(o.hex())) {
      if (!index.remove(o)) {
        return false;
      }
      dirty.remove(o);
      memory.forget(o.dataName());
      // Meta first: a crash in between leaves an unreferenced data file, which start-up removes.
      deleteOrCount(layout.meta(o.hex()));
      deleteOrCount(o.dataPath());
      return true;
    }
  }

  private void deleteOrCount(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      metrics.error("delete");
    }
  }

  private Object lockFor(String hex) {
    int firstByte = (Character.digit(hex.charAt(0), 16) << 4) | Character.digit(hex.charAt(1), 16);
    return locks[firstByte & (LOCK_STRIPES - 1)];
  }
}
