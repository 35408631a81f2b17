package dev.patchgate.proxy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects Netty's ByteBuf leak reports (logged at ERROR by ResourceLeakDetector). */
public final class LeakReports extends AppenderBase<ILoggingEvent> {
  private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

  static List<String> reports() {
    return List.copyOf(REPORTS);
  }

  @Override
  protected void append(ILoggingEvent event) {
    REPORTS.add(event.getFormattedMessage());
  }
}
