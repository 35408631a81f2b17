package dev.patchgate.audit;

import static dev.patchgate.audit.ThreeDayLog.FILE1;
import static dev.patchgate.audit.ThreeDayLog.FILE2;
import static dev.patchgate.audit.ThreeDayLog.FILE3;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditChainVerifierTest {
  @TempDir Path dir;

  @BeforeEach
  void writeThreeDays() throws Exception {
    ThreeDayLog.write(dir);
  }

  @Test
  void anUntouchedLogOverSeveralDaysPlainAndGzippedVerifies() throws Exception {
    assertThat(AuditLogs.fileNames(dir)).containsExactly(FILE1, FILE2, FILE3);

    AuditVerification result = AuditChainVerifier.verify(dir);

    assertThat(result.firstBreak()).isEmpty();
    assertThat(result.intact()).isTrue();
    assertThat(result.files()).containsExactly(FILE1, FILE2, FILE3);
    assertThat(result.records()).isEqualTo(15);
    assertThat(result.markers()).isEqualTo(2);
    assertThat(result.firstSeq()).isEqualTo(1);
    assertThat(result.lastSeq()).isEqualTo(17);
    assertThat(result.gaps()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tampering")
  void tamperingIsFoundAtTheLineWhereItShows(
      Tamper tamper, String file, long line, long seq, String finding) throws Exception {
    tamper.apply(dir);

    AuditVerification result = AuditChainVerifier.verify(dir);

    assertThat(result.intact()).isFalse();
    AuditChainBreak broken = result.firstBreak().orElseThrow();
    assertThat(broken.file()).isEqualTo(file);
    assertThat(broken.line()).isEqualTo(line);
    assertThat(broken.seq()).isEqualTo(seq);
    assertThat(broken.message()).contains(finding);
  }

  static Stream<Arguments> tampering() {
    return Stream.of(
        // Someone changes what a record says (a denied request shown as served).
        tamper(
            "a field edited",
            editLine(FILE3, 3, "\"status\":200", "\"status\":404"),
            FILE3,
            3,
            14,
            "hash mismatch"),
        tamper(
            "a field edited inside a gzipped day",
            editLine(FILE1, 4, "\"client\":\"10.1.2.3\"", "\"client\":\"10.9.9.9\""),
            FILE1,
            4,
            4,
            "hash mismatch"),
        tamper(
            "the very first line edited",
            editLine(FILE1, 1, "\"type\":\"start\"", "\"type\":\"stop\""),
            FILE1,
            1,
            1,
            "first line of the log was changed"),
        // Someone removes the record of a download.
        tamper("a line deleted", lines(FILE3, l -> l.remove(2)), FILE3, 3, 15, "1 line is missing"),
        tamper(
            "three lines deleted",
            lines(FILE2, l -> l.subList(1, 4).clear()),
            FILE2,
            2,
            11,
            "3 lines are missing"),
        // A copy of a real line, to make a download appear twice.
        tamper(
            "a copy of the line before inserted",
            lines(FILE3, l -> l.add(3, l.get(2))),
            FILE3,
            4,
            14,
            "seq 14 repeats"),
        tamper(
            "an earlier line copied in",
            lines(FILE3, l -> l.add(3, l.get(0))),
            FILE3,
            4,
            12,
            "seq goes back from 14 to 12"),
        // A made-up record that claims the next seq.
        tamper(
            "a forged line inserted",
            lines(FILE3, l -> l.add(2, l.get(2).replace("2026-11-23-3", "forged"))),
            FILE3,
            3,
            14,
            "hash mismatch"),
        tamper(
            "a forged line replacing a real one",
            lines(FILE3, l -> l.set(2, l.get(2).replace("2026-11-23-3", "forged"))),
            FILE3,
            3,
            14,
            "hash mismatch"),
        tamper(
            "two lines swapped",
            lines(FILE3, l -> l.set(1, l.set(2, l.get(1)))),
            FILE3,
            2,
            14,
            "lines out of order: seq 14 comes before seq 13"),
        // A whole day removed between two others.
        tamper(
            "a middle day file deleted",
            d -> Files.delete(d.resolve(FILE2)),
            FILE3,
            1,
            12,
            "seq jumps from 6 (" + FILE1 + ":6) to 12 at the start of " + FILE3),
        tamper(
            "the end of a middle day cut off at a line boundary",
            lines(FILE2, l -> l.remove(4)),
            FILE3,
            1,
            12,
            "1 line is missing (a day file, or the end of one, was removed)"),
        tamper(
            "the last day cut inside a line",
            d -> {
              byte[] bytes = Files.readAllBytes(d.resolve(FILE3));
              Files.write(d.resolve(FILE3), Arrays.copyOf(bytes, bytes.length - 10));
            },
            FILE3,
            6,
            0,
            "the last line has no newline"),
        tamper(
            "a line replaced by garbage",
            lines(FILE3, l -> l.set(2, "{\"ts\":\"2026-11-23T09:03:00.000Z\",\"id\":\"x\"")),
            FILE3,
            3,
            0,
            "not a chained audit line"),
        tamper(
            "gzip data damaged",
            d -> {
              byte[] bytes = Files.readAllBytes(d.resolve(FILE2));
              Files.write(d.resolve(FILE2), Arrays.copyOf(bytes, bytes.length / 2));
            },
            FILE2,
            1,
            0,
            "gzip data cannot be read"));
  }

  @Test
  void aTornLineWithoutTheWritersGapMarkerIsABreak() throws Exception {
    Path file = dir.resolve(FILE3);
    List<String> lines = new ArrayList<>(AuditLogs.lines(file));
    lines.add(3, lines.get(3).substring(0, 40));
    AuditLogs.rewrite(file, lines);

    AuditChainBreak broken = AuditChainVerifier.verify(dir).firstBreak().orElseThrow();

    assertThat(broken.line()).isEqualTo(4);
    assertThat(broken.message()).contains("not a chained audit line");
  }

  @Test
  void earlierDaysRemovedByRetentionLeaveAnIntactChainThatStartsLater() throws Exception {
    Files.delete(dir.resolve(FILE1));

    AuditVerification result = AuditChainVerifier.verify(dir);

    assertThat(result.intact()).isTrue();
    assertThat(result.firstSeq()).isEqualTo(7);
    assertThat(result.lastSeq()).isEqualTo(17);
    assertThat(result.records()).isEqualTo(10);
  }

  @Test
  void anInterruptedCompressionIsReadFromThePlainFile() throws Exception {
    Path plain = dir.resolve("audit-2026-11-22.jsonl");
    Files.write(plain, AuditLogs.bytes(dir.resolve(FILE2)));
    Files.write(dir.resolve(FILE2), new byte[] {1, 2, 3}); // a half-written .gz: never read

    AuditVerification result = AuditChainVerifier.verify(dir);

    assertThat(result.intact()).isTrue();
    assertThat(result.files()).containsExactly(FILE1, "audit-2026-11-22.jsonl", FILE3);
  }

  @FunctionalInterface
  interface Tamper {
    void apply(Path dir) throws Exception;
  }

  @FunctionalInterface
  interface LineEdit {
    void apply(List<String> lines);
  }

  private static Arguments tamper(
      String name, Tamper tamper, String file, long line, long seq, String finding) {
    return Arguments.of(Named.of(name, tamper), file, line, seq, finding);
  }

  private static Tamper lines(String file, LineEdit edit) {
    return d -> {
      List<String> lines = new ArrayList<>(AuditLogs.lines(d.resolve(file)));
      edit.apply(lines);
      AuditLogs.rewrite(d.resolve(file), lines);
    };
  }

  private static Tamper editLine(String file, int line, String from, String to) {
    return lines(
        file,
        l -> {
          String before = l.get(line - 1);
          if (!before.contains(from)) {
            throw new AssertionError("line " + line + " of " + file + " has no " + from);
          }
          l.set(line - 1, before.replace(from, to));
        });
  }
}
