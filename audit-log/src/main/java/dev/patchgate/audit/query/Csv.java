package dev.patchgate.audit.query;

import dev.patchgate.audit.text.DisplayText;
import java.util.List;

/**
 * Writes CSV as RFC 4180 describes it, made safe to open in a spreadsheet.
 *
 * <p>Rows end in CRLF; a cell containing a comma, a double quote or a line break is quoted, with
 * quotes doubled. Text cells are first passed through {@link DisplayText#clean} (so tabs and line
 * breaks, which no URL contains, show as {@code \}{@code uXXXX}), and a text cell that starts with
 * {@code =}, {@code +}, {@code -} or {@code @} (or their full-width forms), or whose value started
 * with a tab or a carriage return, gets a leading apostrophe (OWASP's rule), so that Excel shows it
 * as text instead of running it as a formula (CSV injection). Number cells are written as they are:
 * a number cannot carry a formula. Stateless.
 */
public final class Csv {
  private Csv() {}

  /** Appends one row of already-encoded cells (see {@link #text} and {@link #number}) and CRLF. */
  public static void appendRow(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cells.get(i));
    }
    out.append("\r\n");
  }

  /** Encodes a text cell; {@code null} becomes an empty cell. */
  public static String text(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String cell = DisplayText.clean(value);
    if (startsLikeFormula(cell) || value.charAt(0) == '\t' || value.charAt(0) == '\r') {
      cell = "'" + cell;
    }
    return quoteIfNeeded(cell);
  }

  /** Encodes a number cell; {@code null} becomes an empty cell. */
  public static String number(Long value) {
    return value == null ? "" : Long.toString(value);
  }

  /**
   * Encodes a cell from a parsed JSON value: text for a string, the digits for a number, {@code
   * true}/{@code false}, or empty for {@code null}.
   */
  public static String value(Object value) {
    if (value instanceof String s) {
      return text(s);
    }
    if (value instanceof Long n) {
      return number(n);
    }
    return value == null ? "" : text(value.toString());
  }

  private static boolean startsLikeFormula(String cell) {
    char c = cell.charAt(0);
    return switch (c) {
      case '=', '+', '-', '@', '\uff1d', '\uff0b', '\uff0d', '\uff20' -> true;
      default -> false;
    };
  }

  private static String quoteIfNeeded(String cell) {
    boolean quote = false;
    for (int i = 0; i < cell.length(); i++) {
      char c = cell.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        quote = true;
        break;
      }
    }
    return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
  }
}
