package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked ByteBuf while it ran. Tests run with {@code
 * -Dio.netty.leakDetection.level=paranoid} (see the root pom), so every buffer is tracked.
 */
public final class NoLeaksExtension implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    // Leaks are reported when a collected buffer's tracker is polled, which happens on a later
    // tracked allocation: collect, then allocate, a few times.
    for (int i = 0; i < 3; i++) {
      System.gc();
      ByteBufAllocator.DEFAULT.buffer(1).release();
      Unpooled.buffer(1).release();
    }
    assertThat(LeakReports.reports()).as("Netty ByteBuf leak reports").isEmpty();
  }
}
