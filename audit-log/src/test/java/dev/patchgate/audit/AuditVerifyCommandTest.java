package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyCommandTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void anIntactLogIsReportedWithItsCountsAndExitsZero() throws Exception {
    Path dir = tmp.resolve("audit");
    ThreeDayLog.write(dir);

    int exit = run(dir);

    assertThat(exit).isZero();
    assertThat(out())
        .isEqualTo(
            "audit log verified: 15 records in 3 files, chain intact (first seq 1, last seq 17)\n");
    assertThat(err()).isEmpty();
  }

  @Test
  void aBrokenChainIsReportedAtItsFileAndLineAndExitsOne() throws Exception {
    Path dir = tmp.resolve("audit");
    ThreeDayLog.write(dir);
    Path file = dir.resolve(ThreeDayLog.FILE3);
    List<String> lines = new ArrayList<>(AuditLogs.lines(file));
    lines.set(2, lines.get(2).replace("\"decision\":\"allow\"", "\"decision\":\"deny\""));
    AuditLogs.rewrite(file, lines);

    int exit = run(dir);

    assertThat(exit).isEqualTo(1);
    assertThat(out())
        .isEqualTo(
            "audit log BROKEN at audit-2026-11-23.jsonl:3 (seq 14): hash mismatch: this line (or"
                + " the one before it) was changed\n");
  }

  @Test
  void gapsTheWriterRecordedAreListedUnderAVerifiedLog() throws Exception {
    Path dir = tmp.resolve("audit");
    ThreeDayLog.write(dir);
    Path file = dir.resolve(ThreeDayLog.FILE3);
    List<String> lines = new ArrayList<>(AuditLogs.lines(file));
    lines.remove(lines.size() - 1);
    AuditLogs.rewrite(file, lines);
    Files.writeString(file, "{\"ts\":\"2026-11-", StandardOpenOption.APPEND);
    new JsonLinesAuditWriter(
            AuditWriterSettings.defaults(dir), new FakeClock(ThreeDayLog.at(ThreeDayLog.DAY3, 20)))
        .close();

    int exit = run(dir);

    assertThat(exit).isZero();
    assertThat(out())
        .isEqualTo(
            "audit log verified: 15 records in 3 files, chain intact (first seq 1, last seq 19)\n"
                + "1 gap: audit-2026-11-23.jsonl:7 torn last line after an unclean stop (15 bytes)\n");
  }

  @Test
  void aChainWhoseEarlyDaysWereRemovedSaysWhereItStarts() throws Exception {
    Path dir = tmp.resolve("audit");
    ThreeDayLog.write(dir);
    Files.delete(dir.resolve(ThreeDayLog.FILE1));

    int exit = run(dir);

    assertThat(exit).isZero();
    assertThat(out())
        .isEqualTo(
            "audit log verified: 10 records in 2 files, chain intact (first seq 7, last seq 17)\n"
                + "the chain starts at seq 7 in audit-2026-11-22.jsonl.gz: earlier days are not"
                + " present (removed by retention, or deleted)\n");
  }

  @Test
  void aMissingDirectoryIsNotAVerifiedLog() {
    int exit = run(tmp.resolve("missing"));

    assertThat(exit).isEqualTo(1);
    assertThat(err()).startsWith("audit log: no audit directory at ");
    assertThat(out()).isEmpty();
  }

  @Test
  void anEmptyDirectoryIsNotAVerifiedLog() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("audit"));

    int exit = run(dir);

    assertThat(exit).isEqualTo(1);
    assertThat(err()).startsWith("audit log: no audit files in ");
  }

  private int run(Path dir) {
    return AuditVerifyCommand.run(
            dir,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        ? 0
        : 1;
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
