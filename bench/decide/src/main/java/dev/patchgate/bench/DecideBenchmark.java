package dev.patchgate.bench;

import dev.patchgate.allowlist.AccessRequest;
import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.Decision;
import dev.patchgate.allowlist.TargetParser;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Allowlist#decide} on the request path: a hit on an exact host (client group, schedule and
 * path checked), a hit on a wildcard (client group checked), and a miss, at three file sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecideBenchmark {
  /** Monday 23:00 in Tokyo: inside the probe's night window. */
  private static final Instant AT = Instant.parse("2024-01-08T14:00:00Z");

  @Param({"10", "1000", "100000"})
  public int entries;

  private Allowlist allowlist;
  private AccessRequest exactHit;
  private AccessRequest wildcardHit;
  private AccessRequest miss;

  @Setup
  public void setUp() throws Exception {
    allowlist = Allowlist.parse(GeneratedAllowlist.text(entries), "bench.conf");
    InetAddress client = InetAddress.getByName(GeneratedAllowlist.CLIENT);
    exactHit =
        new AccessRequest(
            client,
            "GET",
            TargetParser.parseAbsolute(
                "http://" + GeneratedAllowlist.EXACT_HOST + "/c/msdownload/x_0123456789abcdef.cab"),
            AT);
    wildcardHit =
        new AccessRequest(
            client,
            "CONNECT",
            TargetParser.parseConnect("au.b1." + GeneratedAllowlist.WILDCARD_SUFFIX + ":443"),
            AT);
    miss =
        new AccessRequest(
            client, "GET", TargetParser.parseAbsolute("http://www.not-listed.example.org/x"), AT);
    expect(exactHit, "ALLOW probe-exact");
    expect(wildcardHit, "ALLOW probe-wildcard");
    expect(miss, "DENY host not in allowlist");
  }

  private void expect(AccessRequest request, String decision) {
    String actual = allowlist.decide(request).toString();
    if (!actual.equals(decision)) {
      throw new IllegalStateException(
          "benchmark would measure the wrong path: " + actual + ", expected " + decision);
    }
  }

  @Benchmark
  public Decision exactHostHit() {
    return allowlist.decide(exactHit);
  }

  @Benchmark
  public Decision wildcardHit() {
    return allowlist.decide(wildcardHit);
  }

  @Benchmark
  public Decision miss() {
    return allowlist.decide(miss);
  }
}
