package dev.patchgate.audit.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How long values are shortened: what stays, and that the cut parts rebuild the value. */
class DisplayTextTest {
  private static final String KB_CAB =
      "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/01/"
          + "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";

  @Test
  void aUrlLosesWholePathSegmentsFirstAndKeepsHostAndFileName() {
    assertThat(DisplayText.shortUrl(KB_CAB, 120))
        .isEqualTo(
            "http://download.windowsupdate.com/.../2024/01/windows10.0-kb5034441-x64_"
                + "0123456789abcdef0123456789abcdef01234567.cab")
        .hasSizeLessThanOrEqualTo(120);
  }

  @Test
  void aFileNameTooLongForTheRoomLosesItsMiddleAndKeepsTheKbNumber() {
    String shortened = DisplayText.shortUrl(KB_CAB, 80);

    assertThat(shortened)
        .hasSizeLessThanOrEqualTo(80)
        .startsWith("http://download.windowsupdate.com/.../windows10.0-kb5034441-x64_")
        .endsWith("01234567.cab");
  }

  @Test
  void theCutsAndTheKeptPartsRebuildTheValue() {
    int[] cuts = DisplayText.urlCuts(KB_CAB, 80);

    assertThat(cuts).hasSize(4);
    StringBuilder kept = new StringBuilder();
    StringBuilder whole = new StringBuilder();
    int from = 0;
    for (int i = 0; i < cuts.length; i += 2) {
      kept.append(KB_CAB, from, cuts[i]).append("...");
      whole.append(KB_CAB, from, cuts[i]).append(KB_CAB, cuts[i], cuts[i + 1]);
      from = cuts[i + 1];
    }
    kept.append(KB_CAB.substring(from));
    whole.append(KB_CAB.substring(from));
    assertThat(kept.toString()).isEqualTo(DisplayText.shortUrl(KB_CAB, 80));
    assertThat(whole.toString()).isEqualTo(KB_CAB);
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00"; // one character, two chars
    String text = emoji.repeat(40);

    for (int max = 8; max < 40; max++) {
      int[] cuts = DisplayText.middleCut(text, max);
      assertThat(cuts).hasSize(2);
      assertThat(cuts[0] % 2).as("cut start at max %d", max).isZero();
      assertThat(cuts[1] % 2).as("cut end at max %d", max).isZero();
    }
  }

  @Test
  void aValueThatFitsIsNotCut() {
    assertThat(DisplayText.urlCuts("http://a.example/kb.cab", 40)).isEmpty();
    assertThat(DisplayText.middleCut("short", 5)).isEmpty();
  }
}
