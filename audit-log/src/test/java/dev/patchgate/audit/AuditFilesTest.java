package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditFilesTest {
  @TempDir Path dir;

  @Test
  void dayFileNamesAreTheUtcDateInIsoForm() {
    LocalDate day = LocalDate.of(2026, 11, 23);

    assertThat(AuditFiles.auditFileName(day)).isEqualTo("audit-2026-11-23.jsonl");
    assertThat(AuditFiles.accessLogFileName(day)).isEqualTo("access-2026-11-23.log");
  }

  @Test
  void daysAreListedOldestFirstOnePerDayPreferringThePlainFile() throws Exception {
    for (String name :
        new String[] {
          "audit-2026-11-23.jsonl",
          "audit-2026-11-21.jsonl.gz",
          "audit-2026-11-22.jsonl.gz",
          "audit-2026-11-22.jsonl", // an interrupted compression: the plain file is complete
          "audit-2026-11-20.jsonl.gz.tmp",
          "access-2026-11-21.log",
          "audit-2026-13-01.jsonl",
          "notes.txt"
        }) {
      Files.writeString(dir.resolve(name), "");
    }

    assertThat(AuditFiles.auditDays(dir))
        .extracting(AuditDayFile::fileName)
        .containsExactly(
            "audit-2026-11-21.jsonl.gz", "audit-2026-11-22.jsonl", "audit-2026-11-23.jsonl");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "audit-2026-02-30.jsonl",
        "audit-2026-11-23.json",
        "audit-2026-11-23.log",
        "access-2026-11-23.jsonl",
        "audit-26-11-23.jsonl",
        "audit-2026-11-23.jsonl.tmp",
        "xaudit-2026-11-23.jsonl"
      })
  void namesThatAreNotDayFilesAreNotRecognised(String name) {
    assertThat(DayFileName.parse(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "audit-2026-11-23.jsonl",
        "audit-2026-11-23.jsonl.gz",
        "audit-2026-11-23.jsonl.gz.tmp",
        "access-2026-11-23.log",
        "access-2026-11-23.log.gz",
        "access-2026-11-23.log.gz.tmp"
      })
  void dayFileNamesReadBackAsThemselves(String name) {
    assertThat(DayFileName.parse(name).orElseThrow().fileName()).isEqualTo(name);
  }
}
