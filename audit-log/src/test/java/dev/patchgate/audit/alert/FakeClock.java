package dev.patchgate.audit.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it. */
final class FakeClock implements InstantSource {
  private final AtomicReference<Instant> now;

  FakeClock(String iso) {
    this.now = new AtomicReference<>(Instant.parse(iso));
  }

  void advance(Duration by) {
    now.updateAndGet(t -> t.plus(by));
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
