package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditJson;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a realistic audit directory for the query benchmark (bench/audit-query/run): Windows
 * Update traffic of a hospital network over some days, in the contract's format (seq and hash
 * chained), every day but the last gzipped.
 *
 * <p>Usage: {@code java -cp target/classes:target/test-classes
 * dev.patchgate.audit.query.GenerateAuditLog DIR [RECORDS] [DAYS]}. Deterministic: the same
 * arguments give the same files.
 */
public final class GenerateAuditLog {
  /** The client the benchmark queries for. */
  static final String TRACED_CLIENT = "10.10.1.5";

  private static final String[] METADATA_HOSTS = {
    "fe2.update.microsoft.com",
    "sls.update.microsoft.com",
    "fe3.delivery.mp.microsoft.com",
    "settings-win.data.microsoft.com",
    "slscr.update.microsoft.com"
  };
  private static final String[] PAYLOAD_HOSTS = {
    "download.windowsupdate.com", "au.download.windowsupdate.com",
    "7.tlu.dl.delivery.mp.microsoft.com", "8.tlu.dl.delivery.mp.microsoft.com"
  };
  private static final String[] DENIED_HOSTS = {
    "v10.events.data.microsoft.com",
    "www.google.com",
    "login.live.com",
    "www.bing.com",
    "ctldl.windowsupdate.com.evil.example",
    "update.example-vendor.jp",
    "192.0.2.44"
  };
  private static final String[] ARCHES = {"x64", "x86", "arm64"};

  private final SplittableRandom random;
  private final List<Payload> payloads = new ArrayList<>();
  private final ChainedLines chain = new ChainedLines();
  private final Session[] sessions = new Session[256];
  private long ids;

  private record Payload(String path, String host, long length, String kb) {}

  /** A download in progress. */
  private static final class Session {
    private String client;
    private Payload payload;
    private long offset;
  }

  private GenerateAuditLog(long seed) {
    this.random = new SplittableRandom(seed);
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < 600; i++) {
      String kb = i == 0 ? "5034441" : Integer.toString(5_000_000 + random.nextInt(99_999));
      byte[] sha1 = new byte[20];
      random.nextBytes(sha1);
      String arch = ARCHES[random.nextInt(ARCHES.length)];
      String name =
          "windows10.0-kb"
              + kb
              + "-"
              + arch
              + "_"
              + hex.formatHex(sha1)
              + (i % 5 == 0 ? ".msu" : ".cab");
      String path =
          i % 2 == 0
              ? "/c/msdownload/update/software/secu/2026/" + (1 + i % 12) + "/" + name
              : "/filestreamingservice/files/"
                  + java.util.UUID.nameUUIDFromBytes(sha1)
                  + "?P1="
                  + (1_700_000_000 + i)
                  + "&P2=404&P3=2&P4="
                  + java.util.Base64.getUrlEncoder().encodeToString(sha1);
      long length = 200_000L + (long) (Math.pow(random.nextDouble(), 3) * 5_000_000_000L);
      payloads.add(new Payload(path, PAYLOAD_HOSTS[i % PAYLOAD_HOSTS.length], length, kb));
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: GenerateAuditLog DIR [RECORDS] [DAYS]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    long records = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    int days = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Files.createDirectories(dir);
    long start = System.nanoTime();
    long bytes = new GenerateAuditLog(42).write(dir, records, days);
    System.err.printf(
        Locale.ROOT,
        "wrote %,d records (%,d bytes uncompressed) over %d days to %s in %.1f s%n",
        records,
        bytes,
        days,
        dir,
        (System.nanoTime() - start) / 1e9);
  }

  private long write(Path dir, long records, int days) throws IOException {
    LocalDate first = LocalDate.of(2026, 11, 1);
    long bytes = 0;
    for (int d = 0; d < days; d++) {
      LocalDate day = first.plusDays(d);
      long perDay = records / days + (d < records % days ? 1 : 0);
      boolean gzip = d < days - 1;
      Path file = dir.resolve("audit-" + day + ".jsonl" + (gzip ? ".gz" : ""));
      long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      try (OutputStream out =
          new BufferedOutputStream(
              gzip
                  ? new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)
                  : Files.newOutputStream(file),
              1 << 20)) {
        if (d > 0) {
          bytes += line(out, marker(dayStart + 5, "start"));
        }
        for (long i = 0; i < perDay; i++) {
          long ts = dayStart + i * 86_400_000L / perDay + random.nextInt(1000);
          bytes +=
              line(
                  out,
                  AuditJson.toJson(
                      next(Instant.ofEpochMilli(Math.min(ts, dayStart + 86_399_999)))));
        }
      }
    }
    return bytes;
  }

  private long line(OutputStream out, String object) throws IOException {
    byte[] line = (chain.next(object) + "\n").getBytes(StandardCharsets.UTF_8);
    out.write(line);
    return line.length;
  }

  private static String marker(long epochMilli, String type) {
    return "{\"ts\":\""
        + Instant.ofEpochMilli(epochMilli)
        + "\",\"type\":\""
        + type
        + "\",\"reason\":null}";
  }

  private AuditRecord next(Instant ts) {
    String id = "9f2c01ab-" + ids++;
    int roll = random.nextInt(1000);
    String client = randomClient();
    if (roll < 350) {
      String host = METADATA_HOSTS[random.nextInt(METADATA_HOSTS.length)];
      return record(
          ts,
          id,
          client,
          "CONNECT",
          host + ":443",
          host,
          443,
          AuditDecision.ALLOW,
          "windows-update",
          null,
          200,
          4_000 + random.nextInt(400_000),
          null,
          null,
          CacheOutcome.NONE,
          "203.0.113." + random.nextInt(250));
    }
    if (roll < 900) {
      return download(ts, id);
    }
    if (roll < 970) {
      String host = DENIED_HOSTS[random.nextInt(DENIED_HOSTS.length)];
      return record(
          ts,
          id,
          client,
          "GET",
          "http://" + host + "/",
          host,
          80,
          AuditDecision.DENY,
          null,
          "host not in allowlist",
          403,
          512,
          "text/html",
          null,
          CacheOutcome.NONE,
          null);
    }
    if (roll < 985) {
      String host = PAYLOAD_HOSTS[0];
      return record(
          ts,
          id,
          "10.20.0." + (1 + random.nextInt(20)),
          "GET",
          "http://" + host + "/",
          host,
          80,
          AuditDecision.DENY,
          null,
          "unregistered client",
          403,
          512,
          "text/html",
          null,
          CacheOutcome.NONE,
          null);
    }
    Payload p = payloads.get(random.nextInt(payloads.size()));
    return record(
        ts,
        id,
        client,
        "GET",
        "http://" + p.host() + p.path(),
        p.host(),
        80,
        AuditDecision.ERROR,
        "windows-update",
        "upstream connection failed",
        502,
        300,
        "text/html",
        null,
        CacheOutcome.NONE,
        "203.0.113." + random.nextInt(250));
  }

  /**
   * The next request of one of the downloads in progress: BITS and Delivery Optimization fetch a
   * large file as a series of 1-16 MiB ranges, many clients at once; a small file comes whole.
   */
  private AuditRecord download(Instant ts, String id) {
    int slot = random.nextInt(sessions.length);
    Session s = sessions[slot];
    if (s == null) {
      s = newSession();
      sessions[slot] = s;
    }
    Payload p = s.payload;
    boolean whole = p.length() < 8_000_000L;
    long body =
        whole ? p.length() : Math.min(p.length() - s.offset, 1L << (20 + random.nextInt(5)));
    s.offset += body;
    // A few downloads are abandoned half-way, as when a PC is switched off.
    if (s.offset >= p.length() || random.nextInt(2000) == 0) {
      sessions[slot] = null;
    }
    if (whole && random.nextInt(50) == 0) {
      body /= 3;
    }
    int cacheRoll = random.nextInt(10);
    CacheOutcome cache =
        cacheRoll < 7 ? CacheOutcome.HIT : cacheRoll < 9 ? CacheOutcome.MISS : CacheOutcome.BYPASS;
    return record(
        ts,
        id,
        s.client,
        "GET",
        "http://" + p.host() + p.path(),
        p.host(),
        80,
        AuditDecision.ALLOW,
        "windows-update",
        null,
        whole ? 200 : 206,
        body + 380,
        "application/octet-stream",
        p.length(),
        cache,
        cache == CacheOutcome.HIT ? null : "203.0.113." + random.nextInt(250));
  }

  private Session newSession() {
    Session s = new Session();
    s.client = randomClient();
    s.payload = payloads.get(skewed(payloads.size()));
    return s;
  }

  private String randomClient() {
    return random.nextInt(200) == 0
        ? TRACED_CLIENT
        : "10.10." + random.nextInt(8) + "." + (1 + random.nextInt(250));
  }

  /** An index in {@code [0, n)}, small ones far more likely: a few updates are most of traffic. */
  private int skewed(int n) {
    return (int) (Math.pow(random.nextDouble(), 2.5) * n);
  }

  private static AuditRecord record(
      Instant ts,
      String id,
      String client,
      String method,
      String url,
      String host,
      Integer port,
      AuditDecision decision,
      String entry,
      String reason,
      int status,
      long bytes,
      String contentType,
      Long objectLength,
      CacheOutcome cache,
      String upstream) {
    return new AuditRecord(
        ts,
        id,
        client,
        null,
        method,
        url,
        host,
        port,
        decision,
        entry,
        reason,
        false,
        status,
        bytes,
        300,
        50,
        contentType,
        objectLength,
        cache,
        upstream,
        null,
        null);
  }
}
