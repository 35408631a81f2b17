package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaFileTest {
  private static final MetaRecord RECORD =
      new MetaRecord(
          new StoredMeta(
              "http://download.windowsupdate.com:80/a_0123456789abcdef0123456789abcdef01234567.cab",
              200,
              257401999,
              "9f".repeat(32),
              Optional.of("0123456789abcdef0123456789abcdef01234567"),
              List.of(
                  new HeaderField("Content-Type", "application/vnd.ms-cab-compressed"),
                  new HeaderField("ETag", "\"80d1c2:0\"")),
              Instant.parse("2026-11-23T10:15:30.123Z"),
              Instant.parse("2026-11-23T10:15:29.001Z"),
              Instant.parse("2026-11-23T10:15:29Z"),
              3),
          "ab".repeat(32) + "-0011223344556677.data",
          Instant.parse("2026-11-24T08:00:00.500Z"),
          12);

  @Test
  void aRecordSurvivesWritingAndReading(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("x.meta");

    MetaFile.write(target, dir.resolve("tmp.meta"), RECORD);

    assertThat(MetaFile.read(target)).contains(RECORD);
    assertThat(dir.resolve("tmp.meta")).doesNotExist();
  }

  @Test
  void theFileIsReadableText() {
    String text = MetaFile.format(RECORD);

    assertThat(text)
        .startsWith("patchgate-mirror-meta 1\nurl http://download.windowsupdate.com:80/")
        .contains("\nlength 257401999\n", "\nhits 12\n", "\nheader ETag: \"80d1c2:0\"\n")
        .endsWith("\nend\n");
  }

  @Test
  void aTruncatedOrAlteredFileIsNoRecord() {
    String text = MetaFile.format(RECORD);

    assertThat(MetaFile.parse(text.substring(0, text.length() - 4))).isEmpty();
    assertThat(MetaFile.parse(text.substring(0, text.length() - 1))).isEmpty();
    assertThat(MetaFile.parse(text.replace("length 257401999", "length -1"))).isEmpty();
    assertThat(MetaFile.parse(text.replace("status 200", "status 206"))).isEmpty();
    assertThat(MetaFile.parse(text.replace("hits 12\n", "hits 12\nhits 13\n"))).isEmpty();
    assertThat(MetaFile.parse(text.replace("\nsha256 ", "\nsha-256 "))).isEmpty();
    assertThat(MetaFile.parse("")).isEmpty();
  }

  @Test
  void aMissingFileIsNoRecord(@TempDir Path dir) {
    assertThat(MetaFile.read(dir.resolve("absent.meta"))).isEmpty();
  }

  @Test
  void anOversizedFileIsNotRead(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.meta");
    Files.writeString(big, "x".repeat(100_000));

    assertThat(MetaFile.read(big)).isEmpty();
  }
}
