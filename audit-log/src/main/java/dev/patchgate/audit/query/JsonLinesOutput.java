package dev.patchgate.audit.query;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code --format json}: each record's line exactly as it is in the file, {@code seq} and {@code
 * hash} included, so the output can be checked against the chain and fed to other tools.
 */
final class JsonLinesOutput implements QueryOutput {
  private final OutputStream out;

  JsonLinesOutput(OutputStream out) {
    this.out = out;
  }

  @Override
  public void begin() {}

  @Override
  public void row(AuditLine line) throws IOException {
    line.writeTo(out);
    out.write('\n');
  }

  @Override
  public void end(long rows) throws IOException {
    out.flush();
  }
}
