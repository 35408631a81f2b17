package dev.patchgate.audit.query;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for tests: CRLF rows, quoted cells with doubled quotes. */
public final class CsvReader {
  private CsvReader() {}

  /**
   * Parses {@code text}, which must end with CRLF.
   *
   * @throws IllegalArgumentException if it is not RFC 4180
   */
  public static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"' && cell.length() == 0) {
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new IllegalArgumentException("unterminated quote");
          }
          char q = text.charAt(i++);
          if (q == '"') {
            if (i < text.length() && text.charAt(i) == '"') {
              cell.append('"');
              i++;
            } else {
              break;
            }
          } else {
            cell.append(q);
          }
        }
        continue;
      }
      if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
        i++;
      } else if (c == '\r') {
        if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
          throw new IllegalArgumentException("CR without LF at " + i);
        }
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i += 2;
      } else if (c == '\n' || c == '"') {
        throw new IllegalArgumentException("bare " + (c == '"' ? "quote" : "LF") + " at " + i);
      } else {
        cell.append(c);
        i++;
      }
    }
    if (!row.isEmpty() || cell.length() > 0) {
      throw new IllegalArgumentException("last row without CRLF");
    }
    return rows;
  }
}
