package dev.patchgate.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a central collector's file, where the audit lines of several gateways arrive interleaved,
 * each line written as {@code HOSTNAME SP AUDITLINE} (the rsyslog template in the README): splits
 * the lines by gateway name and runs each gateway's lines through its own {@link
 * AuditChainVerifier}, in file order.
 *
 * <p>Forwarding is at least once, so a line can arrive again after a reconnection; a line byte for
 * byte equal to one with the same seq the same gateway sent before is a duplicate: counted and
 * skipped, never a break. Any other line that does not continue the chain breaks that gateway's
 * chain as it would in the gateway's own files. The chain of a gateway may start above seq 1
 * (forwarding was turned on later, or older lines were rotated away at the collector).
 *
 * <p>Each call reads with its own state; thread-safe.
 */
public final class AuditCollectorVerifier {
  /** The name under which lines without a {@code HOSTNAME SP} prefix are reported. */
  public static final String NO_NAME = "(no gateway name)";

  // Lines remembered per gateway for recognising a repeat: far more than a reconnection resends.
  private static final int REMEMBERED = 65_536;

  private AuditCollectorVerifier() {}

  /**
   * What one gateway's lines in the collector's file came to.
   *
   * @param gateway the HOSTNAME its lines carry
   * @param verification its chain, checked as the gateway's own files would be
   * @param duplicates lines that repeated one already seen, skipped
   */
  public record GatewayChain(String gateway, AuditVerification verification, long duplicates) {}

  /**
   * Verifies {@code file}, one result per gateway name in the order of first appearance.
   *
   * @throws IOException if the file cannot be read
   */
  public static List<GatewayChain> verify(Path file) throws IOException {
    String name = file.getFileName().toString();
    Map<String, Gateway> gateways = new LinkedHashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      RawLines lines = new RawLines(in);
      long lineNo = 0;
      for (RawLines.Line line = lines.next(); line != null; line = lines.next()) {
        lineNo++;
        byte[] bytes = line.bytes();
        int space = indexOf(bytes, (byte) ' ');
        String gateway =
            space <= 0 ? NO_NAME : new String(bytes, 0, space, StandardCharsets.US_ASCII);
        byte[] auditLine = space <= 0 ? bytes : Arrays.copyOfRange(bytes, space + 1, bytes.length);
        gateways
            .computeIfAbsent(gateway, Gateway::new)
            .arrive(name, lineNo, new RawLines.Line(auditLine, line.terminated()));
      }
    }
    List<GatewayChain> results = new ArrayList<>();
    for (Gateway gateway : gateways.values()) {
      results.add(gateway.end(name));
    }
    return results;
  }

  /** One gateway's chain: the verifier, one line held back as its look-ahead, and the repeats. */
  private static final class Gateway {
    private final String name;
    private final AuditChainVerifier chain = AuditChainVerifier.forLines();
    private final HashChain digests = HashChain.empty();
    private final Map<Long, String> seen =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > REMEMBERED;
          }
        };
    private RawLines.Line held;
    private long heldLineNo;
    private long lastSeq;
    private long duplicates;
    private boolean broken;

    Gateway(String name) {
      this.name = name;
    }

    void arrive(String file, long lineNo, RawLines.Line line) {
      if (broken) {
        return;
      }
      if (isRepeat(line)) {
        duplicates++;
        return;
      }
      if (held != null) {
        broken = !chain.accept(file, heldLineNo, held, line, false);
      }
      held = line;
      heldLineNo = lineNo;
    }

    GatewayChain end(String file) {
      if (!broken && held != null) {
        chain.accept(file, heldLineNo, held, null, true);
      }
      return new GatewayChain(name, chain.result(), duplicates);
    }

    private boolean isRepeat(RawLines.Line line) {
      if (!line.terminated()) {
        return false;
      }
      ChainedLine parsed;
      try {
        parsed = ChainedLine.parse(line.bytes());
      } catch (IllegalArgumentException e) {
        return false; // the verifier says what is wrong with it
      }
      // The whole line, not only its hash field: a changed line that kept its hash is no repeat.
      String digest = digests.sha256Hex(line.bytes());
      if (parsed.seq() <= lastSeq && digest.equals(seen.get(parsed.seq()))) {
        return true;
      }
      seen.put(parsed.seq(), digest);
      lastSeq = parsed.seq();
      return false;
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
