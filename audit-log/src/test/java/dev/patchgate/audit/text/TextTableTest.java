package dev.patchgate.audit.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {
  private static final List<String[]> ROWS =
      List.of(
          new String[] {"URL", "SIZE", "HITS"},
          new String[] {"http://a.example:80/kb5034441.cab", "1.5 MiB", "2"},
          new String[] {"http://b.example:80/z.cab", "10 B", ""});
  private static final List<TextTable.Align> ALIGN =
      List.of(TextTable.Align.LEFT, TextTable.Align.RIGHT, TextTable.Align.LEFT);

  @Test
  void columnsAreAsWideAsTheirWidestCellTwoSpacesApartWithoutTrailingBlanks() {
    assertThat(TextTable.lines(ROWS, ALIGN, TextTable.Header.ALIGNED))
        .containsExactly(
            "URL                                   SIZE  HITS",
            "http://a.example:80/kb5034441.cab  1.5 MiB  2",
            "http://b.example:80/z.cab             10 B");
  }

  @Test
  void aLeftHeaderIgnoresTheColumnsAlignment() {
    assertThat(TextTable.lines(ROWS, ALIGN, TextTable.Header.LEFT).get(0))
        .isEqualTo("URL                                SIZE     HITS");
  }

  @Test
  void aRowOfAnotherLengthIsRefused() {
    List<String[]> rows = List.<String[]>of(new String[] {"a", "b"});

    assertThatThrownBy(() -> TextTable.lines(rows, ALIGN, TextTable.Header.LEFT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a row has 2 cells, the table 3 columns");
  }
}
