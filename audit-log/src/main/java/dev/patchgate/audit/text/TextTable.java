package dev.patchgate.audit.text;

import java.util.List;

/**
 * Rows of cells as aligned text: each column as wide as its widest cell, two spaces between
 * columns, no trailing blanks. For tables whose rows are all known before the first is printed (the
 * streaming {@code audit query} table uses fixed widths instead). Cells are printed as given: clean
 * them with {@link DisplayText#clean} first. Stateless.
 */
public final class TextTable {
  private static final String GAP = "  ";

  /** Where a column's cells sit in its width. */
  public enum Align {
    LEFT,
    RIGHT
  }

  /** Whether the first row, the titles, is aligned like its column or always left. */
  public enum Header {
    ALIGNED,
    LEFT
  }

  private TextTable() {}

  /**
   * The lines of the table, without line terminators.
   *
   * @param rows the title row first, then the cells; every row as long as {@code align}
   * @param align each column's alignment
   */
  public static List<String> lines(List<String[]> rows, List<Align> align, Header header) {
    int columns = align.size();
    int[] widths = new int[columns];
    for (String[] row : rows) {
      if (row.length != columns) {
        throw new IllegalArgumentException(
            "a row has " + row.length + " cells, the table " + columns + " columns");
      }
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    return rows.stream()
        .map(row -> line(row, widths, align, header == Header.LEFT && row == rows.get(0)))
        .toList();
  }

  private static String line(String[] row, int[] widths, List<Align> align, boolean allLeft) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        text.append(GAP);
      }
      String pad = " ".repeat(widths[i] - row[i].length());
      boolean right = !allLeft && align.get(i) == Align.RIGHT;
      text.append(right ? pad + row[i] : row[i] + pad);
    }
    return text.toString().stripTrailing();
  }
}
