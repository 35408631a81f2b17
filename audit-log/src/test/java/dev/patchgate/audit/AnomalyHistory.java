package dev.patchgate.audit;

import dev.patchgate.audit.query.TestRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Writes five weeks of a hospital's audit log through the real writer (chained day files that
 * {@code audit verify} accepts): 2026-11-02 to 2026-12-06 (UTC), the last week the period the
 * anomaly report reviews by default, the four before it its baseline. The first week's files are
 * plain, the other finished days gzipped, the last day plain as the writer leaves it.
 *
 * <p>The fleet, in three client groups: 40 workstations 10.20.1.1-40 (Windows Update every night at
 * 03:00, settings and a denied telemetry host every office hour on weekdays, the HIS client from a
 * vendor's site on Mondays for the first ten); 12 servers 10.20.2.1-12 (an antivirus signature
 * check at the top of every hour, allowed, and a denied certificate check each morning); 8
 * addresses of the maintenance vendor 10.20.9.1-8 (on Tuesdays and Thursdays 13:00-16:00 only).
 *
 * <p>Planted in the period ({@link #PLANTED}) and look-alikes that must not be found ({@link
 * #LOOK_ALIKES}). Deterministic. Usage as a program: {@code AnomalyHistory DIR}.
 */
public final class AnomalyHistory {
  /** The first day of the history (a Monday). */
  public static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 2);

  /** The period the report reviews: the last seven days. */
  public static final Instant PERIOD_START = Instant.parse("2026-11-30T00:00:00Z");

  /** The end of the history and of the period. */
  public static final Instant END = Instant.parse("2026-12-07T00:00:00Z");

  /** The days written as plain files ({@code .jsonl}); the others but the last are gzipped. */
  public static final List<LocalDate> PLAIN_BASELINE_DAYS =
      FIRST_DAY.datesUntil(FIRST_DAY.plusDays(7)).toList();

  /** What the report must find: {@code kind client subject}. */
  public static final List<String> PLANTED =
      List.of(
          // A PC asks a paste site nobody of its group ever asked.
          "new_destination 10.20.1.7 pastebin.com",
          // Malware on a PC calls home every 10 minutes (its host is new too).
          "new_destination 10.20.1.23 cdn.update-check.example.net",
          "beaconing 10.20.1.23 cdn.update-check.example.net",
          // A PC in use at Sunday 01:00, never before.
          "unusual_hours 10.20.1.12 Sun 01:00-02:00",
          // A server's certificate checks, 150 in one hour instead of one a day.
          "burst 10.20.2.5 2026-12-03 Thu 14:00-15:00",
          // The vendor tries on a Saturday, outside the agreed window (and at an hour it never
          // used).
          "outside_schedule 10.20.9.3 vendor-remote on 2026-12-05",
          "unusual_hours 10.20.9.3 Sat 10:00-11:00");

  /** The clients of the look-alikes; none of them may have a finding. */
  public static final List<String> LOOK_ALIKES =
      List.of(
          "10.20.1.41", // a new PC's first days, with 60 denied telemetry requests in an hour
          "10.20.1.30", // asks its group's usual vendor host for the first time
          "10.20.1.33", // irregular denied retries
          "10.20.1.34", // a single denied request
          "10.20.9.5", // one refusal outside the schedule
          "10.20.2.1", // polls an allowed host at a steady beat (every server does)
          "10.20.1.1"); // updates every night at 03:00 (every workstation does)

  private static final String TELEMETRY = "v10.events.data.microsoft.com";
  private static final String OCSP = "ocsp.digicert.com";
  private static final String VENDOR_HOST = "update.example-vendor.jp";
  private static final String HIS_HOST = "download.his-vendor.example.jp";

  /** The deny reason the allowlist gives outside an entry's schedule. */
  public static final String OUTSIDE_SCHEDULE = "outside the allowed schedule";

  private final SplittableRandom random = new SplittableRandom(15);
  private final List<AuditRecord> records = new ArrayList<>();
  private long ids;

  private AnomalyHistory() {}

  public static void main(String[] args) throws Exception {
    write(Path.of(args[0]));
  }

  /** Writes the history into {@code dir} (which should be empty); returns the records written. */
  public static int write(Path dir) throws Exception {
    AnomalyHistory history = new AnomalyHistory();
    history.fleet();
    history.planted();
    history.lookAlikes();
    return history.writeTo(dir);
  }

  private void fleet() {
    for (LocalDate day = FIRST_DAY;
        day.isBefore(LocalDate.of(2026, 12, 7));
        day = day.plusDays(1)) {
      boolean weekday = day.getDayOfWeek().getValue() <= 5;
      boolean period = !at(day, 0, 0).isBefore(PERIOD_START);
      for (int w = 1; w <= 41; w++) {
        if (w == 41 && day.isBefore(LocalDate.of(2026, 12, 2))) {
          continue; // the new PC arrives on Wednesday of the period
        }
        String pc = "10.20.1." + w;
        add(TestRecords.tunnel("fe2.update.microsoft.com").client(pc), at(day, 3, w * 20));
        add(TestRecords.download().client(pc), at(day, 3, 300 + w * 20));
        if (weekday) {
          for (int hour = 8; hour < 18; hour++) {
            add(
                TestRecords.tunnel("settings-win.data.microsoft.com").client(pc),
                at(day, hour, random.nextInt(3600)));
            add(TestRecords.denied(TELEMETRY).client(pc), at(day, hour, random.nextInt(3600)));
          }
        }
        if (day.getDayOfWeek() == DayOfWeek.MONDAY && (w <= 10 || (w == 30 && period))) {
          add(hisClient(pc), at(day, 10, random.nextInt(3600)));
        }
        if (!period && day.getDayOfWeek() == DayOfWeek.TUESDAY && w <= 5) {
          add(TestRecords.denied("login.live.com").client(pc), at(day, 11, random.nextInt(3600)));
        }
      }
      if (day.equals(LocalDate.of(2026, 11, 10))) {
        add(TestRecords.denied("www.bing.com").client("10.20.1.2"), at(day, 14, 600));
      }
      for (int s = 1; s <= 12; s++) {
        String server = "10.20.2." + s;
        for (int hour = 0; hour < 24; hour++) {
          add(signatures(server), at(day, hour, s));
        }
        add(TestRecords.denied(OCSP).client(server), at(day, 6, random.nextInt(3600)));
      }
      DayOfWeek dow = day.getDayOfWeek();
      if (dow == DayOfWeek.TUESDAY || dow == DayOfWeek.THURSDAY) {
        for (int v = 1; v <= 8; v++) {
          for (int hour = 13; hour < 16; hour++) {
            for (int i = 0; i < 4; i++) {
              add(vendor("10.20.9." + v), at(day, hour, random.nextInt(3600)));
            }
          }
        }
      }
    }
  }

  private void planted() {
    LocalDate tue = LocalDate.of(2026, 12, 1);
    LocalDate wed = LocalDate.of(2026, 12, 2);
    for (int minute : new int[] {12, 31, 47}) {
      add(TestRecords.denied("pastebin.com").client("10.20.1.7"), at(wed, 10, minute * 60));
    }
    for (int i = 0; i < 18; i++) {
      add(
          TestRecords.denied("cdn.update-check.example.net").client("10.20.1.23"),
          at(tue, 9, i * 600 + random.nextInt(4)));
    }
    for (int minute : new int[] {5, 17, 33, 50}) {
      add(
          TestRecords.tunnel("settings-win.data.microsoft.com").client("10.20.1.12"),
          at(LocalDate.of(2026, 12, 6), 1, minute * 60));
    }
    long t = 0;
    for (int i = 0; i < 150; i++) {
      add(TestRecords.denied(OCSP).client("10.20.2.5"), at(LocalDate.of(2026, 12, 3), 14, t));
      t += 5 + random.nextInt(26);
    }
    for (int i = 0; i < 6; i++) {
      add(
          vendor("10.20.9.3").decision(AuditDecision.DENY).reason(OUTSIDE_SCHEDULE).status(403),
          at(LocalDate.of(2026, 12, 5), 10, 300 + i * 400 + random.nextInt(60)));
    }
  }

  private void lookAlikes() {
    long t = 0;
    for (int i = 0; i < 60; i++) {
      add(TestRecords.denied(TELEMETRY).client("10.20.1.41"), at(LocalDate.of(2026, 12, 2), 9, t));
      t += 5 + random.nextInt(51);
    }
    t = 0;
    for (int i = 0; i < 15; i++) {
      add(
          TestRecords.denied("login.live.com").client("10.20.1.33"),
          at(LocalDate.of(2026, 12, 1), 13, t));
      t += 60 + random.nextInt(1140);
    }
    add(
        TestRecords.denied("www.bing.com").client("10.20.1.34"),
        at(LocalDate.of(2026, 12, 3), 15, 1200));
    add(
        vendor("10.20.9.5").decision(AuditDecision.DENY).reason(OUTSIDE_SCHEDULE).status(403),
        at(LocalDate.of(2026, 12, 1), 12, 3300));
  }

  private static TestRecords hisClient(String pc) {
    return TestRecords.download()
        .client(pc)
        .url("http://" + HIS_HOST + "/his/HIS-Client-4.2.1.msi")
        .host(HIS_HOST)
        .entry("his-client")
        .contentType("application/x-msi");
  }

  private static TestRecords signatures(String server) {
    return TestRecords.download()
        .client(server)
        .url(
            "http://definitionupdates.microsoft.com/download/DefinitionUpdates/versionedsignatures")
        .host("definitionupdates.microsoft.com")
        .entry("defender-updates")
        .bytes(2_300)
        .objectLength(2_000L)
        .contentType("application/octet-stream");
  }

  private static TestRecords vendor(String address) {
    return TestRecords.download()
        .client(address)
        .url("http://" + VENDOR_HOST + "/patches/his-server-7.3.2.zip")
        .host(VENDOR_HOST)
        .entry("vendor-remote")
        .contentType("application/zip");
  }

  private static Instant at(LocalDate day, int hour, long seconds) {
    return day.atTime(hour, 0)
        .toInstant(ZoneOffset.UTC)
        .plusSeconds(seconds)
        .plusMillis(seconds % 997);
  }

  private void add(TestRecords record, Instant ts) {
    records.add(record.id("h-" + ++ids).ts(ts.toString()).build());
  }

  private int writeTo(Path dir) throws Exception {
    records.sort(Comparator.comparing(AuditRecord::ts));
    FakeClock clock = new FakeClock(records.get(0).ts());
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(
            new AuditWriterSettings(dir, Duration.ofMillis(50), 400, false), clock);
    try {
      LocalDate day = null;
      for (AuditRecord record : records) {
        LocalDate recordDay = LocalDate.ofInstant(record.ts(), ZoneOffset.UTC);
        if (!recordDay.equals(day)) {
          // One day at a time: the writer's backlog is bounded, and it moves on a day at a time.
          writer.sync().get(60, TimeUnit.SECONDS);
          day = recordDay;
        }
        clock.set(record.ts());
        writer.append(record);
      }
      writer.sync().get(60, TimeUnit.SECONDS);
      writer.maintenanceIdle().get(60, TimeUnit.SECONDS);
    } finally {
      writer.close();
    }
    for (LocalDate plain : PLAIN_BASELINE_DAYS) {
      gunzip(dir.resolve(JsonLinesAuditWriter.fileNameFor(plain)));
    }
    return records.size();
  }

  private static void gunzip(Path plain) throws IOException {
    Path gz = plain.resolveSibling(plain.getFileName() + ".gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
        OutputStream out = Files.newOutputStream(plain)) {
      in.transferTo(out);
    }
    Files.delete(gz);
  }
}
