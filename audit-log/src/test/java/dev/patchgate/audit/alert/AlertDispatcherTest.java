package dev.patchgate.audit.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patchgate.audit.AuditJsonReader;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.query.TestRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertDispatcherTest {
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final Duration TICK = Duration.ofMillis(10);
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final RetryPolicy FAST =
      new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50), 3);

  private final FakeClock clock = new FakeClock("2026-11-23T10:00:00Z");
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  @Test
  void tenDeniedRequestsReachUdpTcpWebhookAndLogAsOneAlertThenASummaryOfNine() throws Exception {
    RecordingUdpSyslog udp = keep(new RecordingUdpSyslog());
    RecordingTcpSyslog tcp = keep(new RecordingTcpSyslog(0));
    RecordingWebhook webhook = keep(new RecordingWebhook(200));
    RecordingLogger log = new RecordingLogger();
    AlertDispatcher alerts =
        dispatcher(
            FAST,
            1000,
            new SyslogChannel(syslog(udp.port(), SyslogSettings.Protocol.UDP)),
            new SyslogChannel(syslog(tcp.port(), SyslogSettings.Protocol.TCP)),
            new WebhookChannel(new WebhookSettings(webhook.url(), Duration.ofSeconds(5))),
            new LogChannel(log));

    for (int i = 0; i < 10; i++) {
      alerts.onRecord(denied("10.10.1.5", "evil.example.com"));
    }

    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                udp.messages.size() == 1
                    && tcp.messages.size() == 1
                    && webhook.bodies.size() == 1
                    && log.lines.size() == 1);
    assertThat(udp.messages.get(0))
        .startsWith("<164>1 2026-11-23T10:00:00.000Z ")
        .contains(
            " patchgate - ALERT [patchgate@32473 client=\"10.10.1.5\" host=\"evil.example.com\""
                + " kind=\"denied\" count=\"1\" summary=\"false\"] patchgate: denied request from"
                + " 10.10.1.5 to evil.example.com (host not in allowlist)");
    assertThat(tcp.messages.get(0)).isEqualTo(udp.messages.get(0));
    assertThat(webhook.contentTypes).containsExactly("application/json; charset=utf-8");
    assertThat(AuditJsonReader.readObject(webhook.bodies.get(0))).containsEntry("count", 1L);

    // Every event must be counted in the open window before the window is made to end.
    await().atMost(TIMEOUT).until(() -> alerts.processedEvents() == 10);
    clock.advance(WINDOW);

    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                udp.messages.size() == 2
                    && tcp.messages.size() == 2
                    && webhook.bodies.size() == 2
                    && log.lines.size() == 2);
    assertThat(udp.messages.get(1))
        .startsWith("<164>1 2026-11-23T10:10:00.000Z ")
        .contains(
            "count=\"9\" summary=\"true\"] patchgate: 9 more denied requests from 10.10.1.5"
                + " to evil.example.com in the last 10 minutes (host not in allowlist)");
    assertThat(tcp.messages.get(1)).isEqualTo(udp.messages.get(1));
    assertThat(tcp.connections.get()).isEqualTo(1);
    Map<String, Object> summary = AuditJsonReader.readObject(webhook.bodies.get(1));
    assertThat(summary).containsEntry("count", 9L).containsEntry("summary", true);
    assertThat(log.lines.get(1))
        .startsWith("WARN alert kind=denied client=10.10.1.5")
        .contains("count=9");
    assertThat(alerts.channelCounts())
        .extracting(AlertChannelCounts::channel, AlertChannelCounts::sent)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("syslog", 2L),
            org.assertj.core.groups.Tuple.tuple("syslog", 2L),
            org.assertj.core.groups.Tuple.tuple("webhook", 2L),
            org.assertj.core.groups.Tuple.tuple("log", 2L));
  }

  @Test
  void tcpSyslogRetriesWithBackoffAndConnectsWhenTheCollectorComesUp() throws Exception {
    int port = SilentServer.closedPort();
    AlertDispatcher alerts =
        dispatcher(
            new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 1000),
            1000,
            new SyslogChannel(syslog(port, SyslogSettings.Protocol.TCP)));

    alerts.raise(AlertKind.MIRROR_INTEGRITY, null, "download.windowsupdate.com", "digest mismatch");
    await().atMost(TIMEOUT).until(() -> alerts.channelCounts().get(0).retried() >= 2);
    RecordingTcpSyslog collector = keep(new RecordingTcpSyslog(port));

    await().atMost(TIMEOUT).until(() -> collector.messages.size() == 1);
    assertThat(collector.messages.get(0))
        .contains("kind=\"mirror_integrity\"")
        .endsWith(
            "patchgate: mirror integrity failure to download.windowsupdate.com (digest mismatch)");
    assertThat(alerts.channelCounts().get(0).sent()).isEqualTo(1);
    assertThat(alerts.channelCounts().get(0).failed()).isZero();
  }

  @Test
  void deadReceiversNeverBlockOnRecordAndTheirRetriesAndDropsAreCounted() throws Exception {
    RecordingWebhook failing = keep(new RecordingWebhook(500));
    SilentServer silent = keep(new SilentServer());
    AlertDispatcher alerts =
        new AlertDispatcher(
            WINDOW,
            List.of(
                new WebhookChannel(new WebhookSettings(failing.url(), Duration.ofSeconds(5))),
                new WebhookChannel(
                    new WebhookSettings(
                        URI.create("http://127.0.0.1:" + silent.port() + "/hook"),
                        Duration.ofMillis(200))),
                new SyslogChannel(syslog(SilentServer.closedPort(), SyslogSettings.Protocol.TCP))),
            FAST,
            clock,
            TICK,
            1000,
            10);
    closeAfter.add(0, alerts);
    CountDownLatch done = new CountDownLatch(1);
    Thread requestPath =
        new Thread(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                alerts.onRecord(
                    denied("10.10." + (i / 250) + "." + (i % 250), "host-" + i + ".example"));
              }
              done.countDown();
            },
            "request-path");
    requestPath.start();

    assertThat(done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(alerts.acceptedEvents() + alerts.droppedEvents()).isEqualTo(10_000);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(alerts.channelCounts())
                    .allSatisfy(
                        c -> {
                          assertThat(c.retried()).as(c.channel() + " retried").isPositive();
                          assertThat(c.failed()).as(c.channel() + " failed").isPositive();
                          assertThat(c.dropped()).as(c.channel() + " dropped").isPositive();
                          assertThat(c.sent()).as(c.channel() + " sent").isZero();
                        }));
    assertThat(failing.bodies).isNotEmpty();
  }

  @Test
  void closeDeliversTheOpenSummariesBeforeItReturns() throws Exception {
    RecordingWebhook webhook = keep(new RecordingWebhook(204));
    AlertDispatcher alerts =
        dispatcher(
            FAST,
            1000,
            new WebhookChannel(new WebhookSettings(webhook.url(), Duration.ofSeconds(5))));
    for (int i = 0; i < 3; i++) {
      alerts.onRecord(denied("10.10.1.5", "evil.example.com"));
    }
    await().atMost(TIMEOUT).until(() -> webhook.bodies.size() == 1);

    alerts.close();

    assertThat(webhook.bodies).hasSize(2);
    assertThat(AuditJsonReader.readObject(webhook.bodies.get(1)))
        .containsEntry("count", 2L)
        .containsEntry("summary", true);
    alerts.onRecord(denied("10.10.1.5", "evil.example.com"));
    assertThat(alerts.droppedEvents()).isEqualTo(1);
  }

  @Test
  void aWebhookAnsweringOtherThan2xxOrNotAtAllFails() throws Exception {
    RecordingWebhook failing = keep(new RecordingWebhook(500));
    SilentServer silent = keep(new SilentServer());
    Alert alert =
        new Alert(AlertKind.AUDIT_FAILURE, "", "", "disk full", Instant.EPOCH, 1, false, WINDOW);

    assertThatThrownBy(
            () ->
                new WebhookChannel(new WebhookSettings(failing.url(), Duration.ofSeconds(5)))
                    .send(alert))
        .isInstanceOf(IOException.class)
        .hasMessage("webhook answered HTTP 500");
    assertThatThrownBy(
            () ->
                new WebhookChannel(
                        new WebhookSettings(
                            URI.create("http://127.0.0.1:" + silent.port() + "/"),
                            Duration.ofMillis(200)))
                    .send(alert))
        .isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void theAlertsGivenToTheChannelsAreTheRecentOnesAfterDeduplication() {
    RecordingLogger log = new RecordingLogger();
    AlertDispatcher alerts = dispatcher(FAST, 1000, new LogChannel(log));

    for (int i = 0; i < 4; i++) {
      alerts.onRecord(denied("10.10.1.5", "evil.example.com"));
    }
    await().atMost(TIMEOUT).until(() -> alerts.processedEvents() == 4);
    clock.advance(WINDOW);
    await().atMost(TIMEOUT).until(() -> log.lines.size() == 2);

    List<RecentAlerts.Entry> recent =
        alerts.recent().orElseThrow().active(clock.instant(), Duration.ofHours(1), 20);
    assertThat(recent).hasSize(1);
    assertThat(recent.get(0).kind()).isEqualTo(AlertKind.DENIED);
    assertThat(recent.get(0).host()).isEqualTo("evil.example.com");
    assertThat(recent.get(0).count()).isEqualTo(4);
    assertThat(recent.get(0).first()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(recent.get(0).last()).isEqualTo(Instant.parse("2026-11-23T10:10:00Z"));
    assertThat(AlertSink.disabled().recent()).isEmpty();
  }

  @Test
  void startWithoutChannelsGivesTheDisabledSink() {
    AlertSink sink = AlertDispatcher.start(AlertSettings.disabled());

    sink.onRecord(denied("10.10.1.5", "evil.example.com"));

    assertThat(sink).isSameAs(AlertSink.disabled());
    assertThat(sink.channelCounts()).isEmpty();
    assertThat(sink.droppedEvents()).isZero();
  }

  private AlertDispatcher dispatcher(
      RetryPolicy retry, int channelQueue, AlertChannel... channels) {
    AlertDispatcher dispatcher =
        new AlertDispatcher(WINDOW, List.of(channels), retry, clock, TICK, 1000, channelQueue);
    closeAfter.add(0, dispatcher);
    return dispatcher;
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    closeAfter.add(closeable);
    return closeable;
  }

  private static SyslogSettings syslog(int port, SyslogSettings.Protocol protocol) {
    return new SyslogSettings(
        "127.0.0.1", port, protocol, SyslogSettings.DEFAULT_FACILITY, Duration.ofSeconds(2));
  }

  @Test
  void aSummaryRecordOfFiveHundredRateLimitedRequestsIsOneAlertAndASummaryOf499() {
    RecordingLogger log = new RecordingLogger();
    AlertDispatcher alerts = dispatcher(FAST, 1000, new LogChannel(log));

    alerts.onRecord(
        TestRecords.download()
            .client("10.10.1.66")
            .rateLimitSummary(500, "2026-11-23T10:00:00.900Z", "evil.example.com")
            .build());

    await().atMost(TIMEOUT).until(() -> log.lines.size() == 1);
    assertThat(log.lines.get(0)).contains("host=evil.example.com").contains("count=1");
    await().atMost(TIMEOUT).until(() -> alerts.processedEvents() == 1);
    clock.advance(WINDOW);
    await().atMost(TIMEOUT).until(() -> log.lines.size() == 2);
    assertThat(log.lines.get(1)).contains("count=499");
  }

  private static AuditRecord denied(String client, String host) {
    return TestRecords.denied(host).client(client).build();
  }
}
