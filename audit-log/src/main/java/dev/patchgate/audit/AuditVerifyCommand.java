package dev.patchgate.audit;

import dev.patchgate.audit.text.DisplayText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The check of an audit directory's hash chain behind {@code patchgate audit verify}; the gateway's
 * command line parses {@code --dir} and turns the outcome into its exit code.
 *
 * <p>The chain counts as verified only when it is intact from the first line to the last. A broken
 * chain, nothing to verify (no directory, no audit files) and a file that cannot be read all count
 * as not verified, because in each case the log's integrity is not confirmed and a scheduled check
 * must notice. Results go to {@code out}, the reasons nothing could be verified to {@code err}.
 * Stateless.
 */
public final class AuditVerifyCommand {
  private AuditVerifyCommand() {}

  /**
   * Verifies the audit directory {@code dir} and prints the outcome.
   *
   * <p>Intact: {@code audit log verified: N records in M files, chain intact (first seq A, last seq
   * B)}, then, if the chain starts after seq 1, a line saying so, and the gap markers met ({@code 1
   * gap: FILE:LINE reason}). Broken: {@code audit log BROKEN at FILE:LINE (seq N): what was found}.
   *
   * @return true when the chain was verified intact, false otherwise (see the class comment)
   */
  public static boolean run(Path dir, PrintStream out, PrintStream err) {
    if (!Files.isDirectory(dir)) {
      err.println(DisplayText.clean("audit log: no audit directory at " + dir.toAbsolutePath()));
      return false;
    }
    AuditVerification result;
    try {
      result = AuditChainVerifier.verify(dir);
    } catch (IOException e) {
      err.println(DisplayText.clean("audit log: cannot read " + dir.toAbsolutePath() + ": " + e));
      return false;
    }
    if (result.files().isEmpty()) {
      err.println(DisplayText.clean("audit log: no audit files in " + dir.toAbsolutePath()));
      return false;
    }
    if (result.firstBreak().isPresent()) {
      AuditChainBreak broken = result.firstBreak().get();
      out.println("audit log " + describe(broken));
      return false;
    }
    out.println(
        "audit log verified: "
            + plural(result.records(), "record")
            + " in "
            + plural(result.files().size(), "file")
            + ", chain intact (first seq "
            + result.firstSeq()
            + ", last seq "
            + result.lastSeq()
            + ")");
    if (result.firstSeq() > 1) {
      out.println(
          "the chain starts at seq "
              + result.firstSeq()
              + " in "
              + result.files().get(0)
              + ": earlier days are not present (removed by retention, or deleted)");
    }
    List<AuditChainGap> gaps = result.gaps();
    if (gaps.size() == 1) {
      out.println("1 gap: " + describe(gaps.get(0)));
    } else if (!gaps.isEmpty()) {
      out.println(gaps.size() + " gaps:");
      gaps.forEach(gap -> out.println("  " + describe(gap)));
    }
    return true;
  }

  /**
   * Verifies a central collector's file ({@code HOSTNAME SP AUDITLINE} per line), each gateway's
   * chain on its own, and prints one block per gateway:
   *
   * <pre>{@code
   * gw-site1: verified: 10250 records, chain intact (first seq 1, last seq 10260), 3 duplicates
   * gw-site2: BROKEN at collector.log:812 (seq 77): seq jumps from 75 to 77: 1 line is missing
   * }</pre>
   *
   * @return true when every gateway's chain is intact (duplicates allowed), false otherwise or when
   *     the file holds no line
   */
  public static boolean runCollector(Path file, PrintStream out, PrintStream err) {
    List<AuditCollectorVerifier.GatewayChain> chains;
    try {
      chains = AuditCollectorVerifier.verify(file);
    } catch (IOException e) {
      err.println(DisplayText.clean("audit log: cannot read " + file.toAbsolutePath() + ": " + e));
      return false;
    }
    if (chains.isEmpty()) {
      err.println(DisplayText.clean("audit log: no lines in " + file.toAbsolutePath()));
      return false;
    }
    out.println(
        DisplayText.clean(
            "collector file "
                + file
                + ": "
                + plural(chains.size(), "gateway")
                + " ("
                + chains.stream()
                    .map(AuditCollectorVerifier.GatewayChain::gateway)
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("")
                + ")"));
    boolean allIntact = true;
    for (AuditCollectorVerifier.GatewayChain chain : chains) {
      AuditVerification result = chain.verification();
      String prefix = DisplayText.clean(chain.gateway()) + ": ";
      String duplicates =
          chain.duplicates() == 0
              ? ""
              : ", " + plural(chain.duplicates(), "duplicate") + " skipped";
      if (result.firstBreak().isPresent()) {
        allIntact = false;
        AuditChainBreak broken = result.firstBreak().get();
        out.println(prefix + describe(broken) + duplicates);
        continue;
      }
      out.println(
          prefix
              + "verified: "
              + plural(result.records(), "record")
              + ", chain intact (first seq "
              + result.firstSeq()
              + ", last seq "
              + result.lastSeq()
              + ")"
              + duplicates);
      result.gaps().forEach(gap -> out.println("  " + prefix + "gap: " + describe(gap)));
    }
    return allIntact;
  }

  private static String describe(AuditChainBreak broken) {
    return "BROKEN at "
        + broken.file()
        + ":"
        + broken.line()
        + " (seq "
        + (broken.seq() > 0 ? Long.toString(broken.seq()) : "unreadable")
        + "): "
        + broken.message();
  }

  private static String describe(AuditChainGap gap) {
    return gap.file() + ":" + gap.line() + " " + gap.description();
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
