package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's racy-stamp check reads the clock it is given, never the system's directly. */
class AllowlistWatcherClockTest {
  private static final Instant T = Instant.parse("2026-12-05T06:00:00Z");

  @TempDir Path dir;

  @Test
  void checkNow_onAnUnchangedFile_asksTheGivenClockWhetherItsStampIsRacy() throws Exception {
    Path file =
        Files.writeString(dir.resolve("allowlist.conf"), "entries { a { hosts = [\"a\"] } }\n");
    CountingClock clock = new CountingClock(Instant.now().plus(Duration.ofDays(1)));
    AllowlistWatcherTest.RecordingListener listener = new AllowlistWatcherTest.RecordingListener();
    try (AllowlistWatcher watcher =
        AllowlistWatcher.start(file, Allowlist.load(file), Duration.ofHours(1), listener, clock)) {
      watcher.checkNow();
    }

    assertThat(clock.reads).hasPositiveValue();
    listener.assertNoEvent();
  }

  @Test
  void fileStamp_isRacyOnlyWhileItsModificationTimeIsRecent() {
    AllowlistWatcher.FileStamp stamp =
        new AllowlistWatcher.FileStamp(10, FileTime.from(T), null, null);

    assertThat(stamp.isRacy(T)).isTrue();
    assertThat(stamp.isRacy(T.plus(AllowlistWatcher.RACY).minusMillis(1))).isTrue();
    assertThat(stamp.isRacy(T.plus(AllowlistWatcher.RACY))).isFalse();
    assertThat(stamp.isRacy(T.plus(Duration.ofMinutes(1)))).isFalse();
    assertThat(stamp.isRacy(T.minus(Duration.ofHours(1))))
        .as("a file time ahead of the clock is not trusted either")
        .isTrue();
  }

  /** A fixed clock that counts how often it is read. */
  private static final class CountingClock extends Clock {
    private final Instant now;
    final AtomicInteger reads = new AtomicInteger();

    CountingClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      reads.incrementAndGet();
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
