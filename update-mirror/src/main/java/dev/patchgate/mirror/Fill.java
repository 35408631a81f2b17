package dev.patchgate.mirror;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One upstream fetch of one URL into a temporary file, shared by its filler ({@link FillWriter})
 * and any number of followers ({@link FillReader}).
 *
 * <p>State changes happen under {@code lock} and are final once {@link FillState#COMPLETE} or
 * {@link FillState#ABORTED}; {@code COMPLETE} is only set after the length and SHA-1 checks, so a
 * follower never sees a completion that is later found bad. Bytes are published through the
 * volatile {@code available} after they are in the file. Followers read through one shared
 * read-only channel ({@code anchor}) opened on the temporary file when the head arrives; it keeps
 * the inode alive across the rename into the store (or the deletion after an abort), and is closed
 * when the last reference (the in-flight registration or a reader) is released.
 *
 * <p>A fill started for a client ({@code starter}) counts as unread for that client while it is
 * still receiving and has no open reader (its followers all left, or were answered). A fill started
 * by a range request counts from the start: its own client asked for a part only, so its reader
 * does not make the fill read; another client's reader does. The count ({@link UnreadFills})
 * changes under {@code lock}, so it is exact whichever thread opens or closes a reader or ends the
 * fill.
 *
 * <p><b>Why one class of this size.</b> A fill is a state machine ({@code PENDING → STREAMING →
 * COMPLETE | ABORTED}, with the outcome {@code COMMITTING} in between) whose state, waiters,
 * reference count and unread count all change under the one {@code lock}, and whose filler and
 * follower sides meet there and in the publish-then-check of {@code available} against {@code
 * waiterCount}. Split into classes, every transition would reach into another class's lock and
 * fields; kept together, each transition and the invariants it keeps read in one place. What does
 * not touch that state is apart: the body's digests ({@link BodyDigests}), and the handles callers
 * hold ({@link FillWriter}, {@link FillReader}).
 */
final class Fill {
  private static final long SPACE_CHECK_INTERVAL = 64L << 20;

  private final MirrorStore store;
  private final MirrorKey key;
  private final String starter;
  private final Optional<String> expectedSha1;
  private final Object lock = new Object();
  private final CompletableFuture<FillOutcome> finalOutcome = new CompletableFuture<>();

  // Guarded by lock.
  private final List<Waiter> waiters = new ArrayList<>();
  private FillOutcome outcome;
  private ResponseHead head;
  private FileChannel out;
  private FileChannel anchor;
  private Path tmp;
  private int refs = 1;
  private int readers;
  private boolean unread;
  private boolean startersPartialRead;

  // Written under lock, read without it on the fast paths.
  private volatile FillState state = FillState.PENDING;
  private volatile long available;
  private volatile int waiterCount;
  private volatile long lastProgressMillis;
  private volatile long declared = -1;

  // Confined to the filler (start, write, complete run on one thread at a time).
  private BodyDigests digests;
  private FileChannel channel;
  private long written;
  private long nextSpaceCheck = SPACE_CHECK_INTERVAL;
  private String generation;
  private Instant receivedAt;
  private Instant responseDate;
  private long initialAge;

  private record Waiter(long position, Runnable callback) {}

  /**
   * @param starter the client whose request started the fill, or null when no client is to be
   *     bounded (the fill then never counts as unread)
   * @param partial true when the starter asked for a range and the store has already counted this
   *     fill as unread for it ({@link UnreadFills#tryAdd})
   */
  Fill(MirrorStore store, MirrorKey key, String starter, boolean partial) {
    this.store = store;
    this.key = key;
    this.starter = starter;
    this.unread = partial && starter != null;
    this.startersPartialRead = unread;
    this.expectedSha1 = ContentHashName.expectedSha1(key.url());
    this.lastProgressMillis = store.nowMillis();
  }

  MirrorKey key() {
    return key;
  }

  FillState state() {
    return state;
  }

  long available() {
    return available;
  }

  long lastProgressMillis() {
    return lastProgressMillis;
  }

  /** Bytes this fill may still write that its declared length has promised, for free space. */
  long reservedRemaining() {
    long d = declared;
    return d < 0 ? 0 : Math.max(0, d - available);
  }

  CompletableFuture<FillOutcome> outcome() {
    return finalOutcome;
  }

  Optional<ResponseHead> head() {
    synchronized (lock) {
      return Optional.ofNullable(head);
    }
  }

  /** The outcome so far: null while streaming, COMMITTING while committing, else final. */
  FillOutcome currentOutcome() {
    synchronized (lock) {
      return outcome;
    }
  }

  // ---- filler side ----

  boolean start(int status, HeaderLookup headers) {
    if (state != FillState.PENDING) {
      return false;
    }
    if (FreshnessPolicy.refusal("GET", status, headers).isPresent()) {
      abort(FillOutcome.NOT_STORABLE);
      return false;
    }
    long length = FreshnessPolicy.declaredLength(headers);
    if (length > store.settings().maxObjectSizeBytes()) {
      abort(FillOutcome.TOO_LARGE);
      return false;
    }
    if (!store.admit(this, length)) {
      abort(FillOutcome.DISK_FULL);
      return false;
    }
    String gen = StoreLayout.newGeneration();
    Path file = store.layout().tmpData(key.hex(), gen);
    FileChannel w = null;
    FileChannel r = null;
    try {
      w = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      r = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      store.recordError("fill-open");
      closeQuietly(w);
      closeQuietly(r);
      deleteQuietly(file);
      abort(FillOutcome.WRITE_FAILED);
      return false;
    }
    channel = w;
    digests = new BodyDigests(expectedSha1.isPresent());
    generation = gen;
    receivedAt = store.now();
    responseDate = HttpDates.first(headers.all("Date")).orElse(receivedAt);
    initialAge = StoredMeta.initialAge(headers, responseDate, receivedAt);
    ResponseHead h = new ResponseHead(200, StoredHeaders.keep(headers), length, responseDate);
    List<Runnable> due;
    synchronized (lock) {
      if (state != FillState.PENDING) {
        closeQuietly(w);
        closeQuietly(r);
        deleteQuietly(file);
        return false;
      }
      out = w;
      anchor = r;
      tmp = file;
      head = h;
      declared = length;
      state = FillState.STREAMING;
      due = takeDue();
    }
    lastProgressMillis = store.nowMillis();
    run(due);
    return true;
  }

  boolean write(ByteBuffer src) {
    if (state != FillState.STREAMING) {
      return false;
    }
    int n = src.remaining();
    if (n == 0) {
      return true;
    }
    long after = written + n;
    if (after > store.settings().maxObjectSizeBytes()) {
      abort(FillOutcome.TOO_LARGE);
      return false;
    }
    long d = declared;
    if (d >= 0 && after > d) {
      abort(FillOutcome.LONG_BODY);
      return false;
    }
    try {
      ByteBuffer bytes = src.duplicate();
      long position = written;
      while (bytes.hasRemaining()) {
        position += channel.write(bytes, position);
      }
    } catch (IOException e) {
      if (state == FillState.STREAMING) {
        store.recordError("fill-write");
      }
      abort(store.spaceExhausted() ? FillOutcome.DISK_FULL : FillOutcome.WRITE_FAILED);
      return false;
    }
    digests.update(src);
    written = after;
    lastProgressMillis = store.nowMillis();
    available = after;
    if (waiterCount > 0) {
      fireDue();
    }
    if (after >= nextSpaceCheck) {
      nextSpaceCheck = after + SPACE_CHECK_INTERVAL;
      if (store.spaceExhausted()) {
        abort(FillOutcome.DISK_FULL);
        return false;
      }
    }
    return true;
  }

  FillOutcome complete() {
    FillState s = state;
    if (s == FillState.PENDING) {
      throw new IllegalStateException("complete() before start()");
    }
    if (s != FillState.STREAMING) {
      return currentOutcome();
    }
    long d = declared;
    if (d >= 0 && written < d) {
      return abort(FillOutcome.SHORT_BODY);
    }
    String sha256Hex = digests.sha256Hex();
    Optional<String> sha1Hex = digests.sha1Hex();
    boolean mismatch = expectedSha1.isPresent() && !expectedSha1.equals(sha1Hex);
    FillOutcome verdict = mismatch ? FillOutcome.INTEGRITY_MISMATCH : FillOutcome.COMMITTING;
    List<Runnable> due;
    synchronized (lock) {
      if (state != FillState.STREAMING) {
        return outcome;
      }
      state = FillState.COMPLETE;
      outcome = verdict;
      readAgainOrEnded();
      due = takeAll();
    }
    run(due);
    if (mismatch) {
      store.recordIntegrityFailure("fill");
      discardTemporary();
      settle(FillOutcome.INTEGRITY_MISMATCH);
    } else {
      store.commitLater(this, sha256Hex, sha1Hex);
    }
    return verdict;
  }

  void notModified(HeaderLookup headers) {
    if (state != FillState.PENDING) {
      throw new IllegalStateException("notModified() after start(): " + state);
    }
    store.revalidated(key, headers);
    abort(FillOutcome.NOT_MODIFIED);
  }

  /** Runs on the store's I/O thread: force, rename into the store, settle. */
  void commit(String sha256Hex, Optional<String> sha1Hex) {
    FillOutcome result = FillOutcome.STORE_FAILED;
    FileChannel w;
    Path file;
    synchronized (lock) {
      w = out;
      file = tmp;
    }
    try {
      w.force(true);
      w.close();
      Instant now = store.now();
      StoredMeta meta =
          new StoredMeta(
              key.url(),
              200,
              written,
              sha256Hex,
              sha1Hex,
              head().orElseThrow().headers(),
              now,
              receivedAt,
              responseDate,
              initialAge);
      store.publish(key.hex(), StoreLayout.dataName(key.hex(), generation), file, meta);
      result = FillOutcome.STORED;
    } catch (IOException | RuntimeException e) {
      store.recordError("commit");
      closeQuietly(w);
      deleteQuietly(file);
    }
    settle(result);
  }

  /** Commit could not even be scheduled (store closing): the body stays unstored. */
  void commitRejected() {
    store.recordError("commit");
    discardTemporary();
    settle(FillOutcome.STORE_FAILED);
  }

  FillOutcome abort(FillOutcome reason) {
    List<Runnable> due;
    synchronized (lock) {
      if (state == FillState.COMPLETE || state == FillState.ABORTED) {
        return outcome;
      }
      state = FillState.ABORTED;
      outcome = reason;
      readAgainOrEnded();
      due = takeAll();
    }
    discardTemporary();
    run(due);
    settle(reason);
    return reason;
  }

  private void discardTemporary() {
    FileChannel w;
    Path file;
    synchronized (lock) {
      w = out;
      file = tmp;
    }
    closeQuietly(w);
    deleteQuietly(file);
  }

  private void settle(FillOutcome result) {
    synchronized (lock) {
      outcome = result;
    }
    store.settled(this, result);
    release();
    finalOutcome.complete(result);
  }

  // ---- follower side ----

  /** A new reader, or {@code null} if this fill has let go of its file (look up again). */
  FillReader follow() {
    synchronized (lock) {
      if (refs == 0) {
        return null;
      }
      refs++;
      readers++;
      if (startersPartialRead) {
        startersPartialRead = false; // the range's own client: still unread
      } else {
        readAgainOrEnded();
      }
    }
    return new FillReader(this);
  }

  /** A reader is closed: the fill may now run with nobody reading it. */
  void unfollow() {
    synchronized (lock) {
      readers--;
      FillState s = state;
      boolean receiving = s == FillState.PENDING || s == FillState.STREAMING;
      if (readers == 0 && receiving && starter != null && !unread) {
        unread = true;
        store.unreadFills().add(starter);
      }
    }
    release();
  }

  // Caller holds lock.
  private void readAgainOrEnded() {
    if (unread) {
      unread = false;
      store.unreadFills().remove(starter);
    }
  }

  void release() {
    FileChannel toClose = null;
    synchronized (lock) {
      if (refs == 0) {
        return;
      }
      if (--refs == 0) {
        toClose = anchor;
        anchor = null;
      }
    }
    closeQuietly(toClose);
  }

  boolean awaitBeyond(long position, Runnable callback) {
    synchronized (lock) {
      if (ready(position)) {
        return false;
      }
      Waiter w = new Waiter(position, callback);
      waiters.add(w);
      waiterCount = waiters.size();
      // The writer publishes bytes without the lock, then reads waiterCount: re-check after
      // publishing ours, so that one of the two always sees the other.
      if (ready(position)) {
        waiters.remove(w);
        waiterCount = waiters.size();
        return false;
      }
      return true;
    }
  }

  private boolean ready(long position) {
    FillState s = state;
    return s == FillState.COMPLETE
        || s == FillState.ABORTED
        || (s == FillState.STREAMING && available > position);
  }

  int read(ByteBuffer dst, long position) throws IOException {
    FileChannel ch = readableChannel();
    long limit = available;
    if (position >= limit) {
      return state == FillState.COMPLETE ? -1 : 0;
    }
    int want = (int) Math.min(dst.remaining(), limit - position);
    ByteBuffer view = dst.duplicate();
    view.limit(view.position() + want);
    int total = 0;
    while (view.hasRemaining()) {
      int n = ch.read(view, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    dst.position(dst.position() + total);
    return total;
  }

  long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    FileChannel ch = readableChannel();
    long limit = available;
    if (position >= limit || count <= 0) {
      return 0;
    }
    return ch.transferTo(position, Math.min(count, limit - position), target);
  }

  private FileChannel readableChannel() throws IOException {
    synchronized (lock) {
      // A full disk is the store's failure, not the body's: what was published is sound, and a
      // follower may finish the region it is sending before it fetches the rest elsewhere.
      if (state == FillState.ABORTED && outcome != FillOutcome.DISK_FULL) {
        throw new IOException("fill of " + key.url() + " aborted: " + outcome.wireName());
      }
      if (anchor == null) {
        throw new IOException("fill of " + key.url() + " has no body yet");
      }
      return anchor;
    }
  }

  // ---- notification ----

  private void fireDue() {
    List<Runnable> due;
    synchronized (lock) {
      due = takeDue();
    }
    run(due);
  }

  // Caller holds lock.
  private List<Runnable> takeDue() {
    List<Runnable> due = new ArrayList<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (ready(w.position())) {
        due.add(w.callback());
        it.remove();
      }
    }
    waiterCount = waiters.size();
    return due;
  }

  // Caller holds lock.
  private List<Runnable> takeAll() {
    List<Runnable> due = new ArrayList<>(waiters.size());
    for (Waiter w : waiters) {
      due.add(w.callback());
    }
    waiters.clear();
    waiterCount = 0;
    return due;
  }

  private void run(List<Runnable> callbacks) {
    for (Runnable r : callbacks) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // A follower's callback must not break the fill or the other followers.
        store.recordError("follower-callback");
      }
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // Nothing more to do with a channel we are giving up.
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Start-up removes whatever is left in tmp/.
      }
    }
  }
}
