package dev.patchgate.bench;

import dev.patchgate.allowlist.Allowlist;
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
 * Parsing and validating a whole allowlist file, as a start or a reload does: one shot per
 * iteration, since a reload is one shot too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LoadBenchmark {
  @Param({"1000", "100000"})
  public int entries;

  private String text;

  @Setup
  public void setUp() {
    text = GeneratedAllowlist.text(entries);
  }

  @Benchmark
  public Allowlist parse() throws Exception {
    return Allowlist.parse(text, "bench.conf");
  }
}
