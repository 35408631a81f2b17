package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.text.DisplayText;
import java.io.IOException;
import java.io.Writer;

/**
 * {@code --format table}: the fields an administrator reads, in aligned columns of fixed width (the
 * output streams, so widths cannot depend on the rows). Long URLs are shortened by {@link
 * DisplayText#shortUrl}, keeping host and file name; the last column is the allowlist entry of an
 * allowed request or the reason of a refused one, followed for a summary record by how many
 * requests it stands for and the hosts they asked for. When summaries were shown, a last line says
 * how many requests the rows stand for. Values pass through {@link DisplayText#clean}.
 */
final class TableOutput implements QueryOutput {
  static final int URL_WIDTH = 80;
  private static final String FORMAT =
      "%-24s  %-15s  %-7s  %-" + URL_WIDTH + "s  %-8s  %6s  %12s  %-6s  %s%n";

  private final Writer out;
  private long requests;

  TableOutput(Writer out) {
    this.out = out;
  }

  @Override
  public void begin() throws IOException {
    out.write(
        String.format(
            FORMAT,
            "TS",
            "CLIENT",
            "METHOD",
            "URL",
            "DECISION",
            "STATUS",
            "BYTES",
            "CACHE",
            "ENTRY / REASON"));
  }

  @Override
  public void row(AuditLine line) throws IOException {
    requests += line.count();
    out.write(
        String.format(
            FORMAT,
            cell(line.text(AuditFields.TS)),
            cell(line.text(AuditFields.CLIENT)),
            cell(line.text(AuditFields.METHOD)),
            DisplayText.shortUrl(cell(line.text(AuditFields.URL)), URL_WIDTH),
            cell(line.text(AuditFields.DECISION)),
            number(line.number(AuditFields.STATUS)),
            number(line.number(AuditFields.BYTES_TO_CLIENT)),
            cell(line.text(AuditFields.CACHE)),
            entryOrReason(line) + summary(line)));
  }

  /** For a summary record, {@code " [summary of N requests; hosts: a b +M more]"}; else "". */
  static String summary(AuditLine line) {
    if (line.number(AuditFields.COUNT) == null) {
      return "";
    }
    StringBuilder text =
        new StringBuilder(" [summary of ").append(line.count()).append(" requests");
    String hosts = line.text(AuditFields.HOSTS);
    long more = line.number(AuditFields.MORE_HOSTS, 0);
    if ((hosts != null && !hosts.isEmpty()) || more > 0) {
      text.append("; hosts: ").append(hosts == null ? "" : DisplayText.clean(hosts));
      if (more > 0) {
        text.append(" +").append(more).append(" more");
      }
    }
    return text.append(']').toString();
  }

  @Override
  public void end(long rows) throws IOException {
    if (rows == 0) {
      out.write("(no matching records)" + System.lineSeparator());
    } else if (requests != rows) {
      out.write(
          "("
              + rows
              + " records standing for "
              + requests
              + " requests: summary records count each request they stand for)"
              + System.lineSeparator());
    }
    out.flush();
  }

  /**
   * The entry of an allowed request, the reason of a refused one; both for an entry in report mode
   * ({@code would_deny}) and for an allowed request that failed upstream.
   */
  static String entryOrReason(AuditLine line) {
    String entry = line.text(AuditFields.ENTRY);
    String reason = line.text(AuditFields.REASON);
    if (entry != null && reason != null) {
      boolean wouldDeny = Boolean.TRUE.equals(line.fields().get(AuditFields.WOULD_DENY));
      return cell(entry) + (wouldDeny ? " (would deny: " : " (") + cell(reason) + ")";
    }
    return entry != null ? cell(entry) : cell(reason);
  }

  private static String cell(String value) {
    return value == null ? "-" : DisplayText.clean(value);
  }

  private static String number(Long value) {
    return value == null ? "-" : value.toString();
  }
}
