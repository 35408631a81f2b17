package dev.patchgate.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command that verifies an audit directory's hash chain, for the gateway's CLI: {@code [--dir
 * DIR]}.
 *
 * <p>Exit codes: 0 when the chain is intact from the first line to the last; 1 when it is broken,
 * or when there is nothing to verify (no directory, no audit files) or a file cannot be read,
 * because in each case the log's integrity is not confirmed and a scheduled check must notice; 2
 * for a bad command line. Results go to {@code out}, the reasons nothing could be verified and
 * usage errors to {@code err}. Stateless.
 */
public final class AuditVerifyCommand {
  /** One line of usage, without the program name. */
  public static final String USAGE = "[--dir DIR]";

  private AuditVerifyCommand() {}

  /**
   * Verifies the audit directory named by {@code --dir DIR} (or {@code --dir=DIR}), else {@code
   * defaultDir}, and prints the outcome.
   *
   * <p>Intact: {@code audit log verified: N records in M files, chain intact (first seq A, last seq
   * B)}, then, if the chain starts after seq 1, a line saying so, and the gap markers met ({@code 1
   * gap: FILE:LINE reason}). Broken: {@code audit log BROKEN at FILE:LINE (seq N): what was found}.
   *
   * @return the exit code described in the class comment
   */
  public static int run(List<String> args, Path defaultDir, PrintStream out, PrintStream err) {
    Path dir = defaultDir;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--dir") && i + 1 < args.size()) {
        dir = Path.of(args.get(++i));
      } else if (arg.startsWith("--dir=") && arg.length() > "--dir=".length()) {
        dir = Path.of(arg.substring("--dir=".length()));
      } else {
        err.println(
            arg.equals("--dir")
                ? "--dir needs a directory"
                : "unexpected argument: " + arg + " (expected: " + USAGE + ")");
        return 2;
      }
    }
    if (!Files.isDirectory(dir)) {
      err.println("audit log: no audit directory at " + dir.toAbsolutePath());
      return 1;
    }
    AuditVerification result;
    try {
      result = AuditChainVerifier.verify(dir);
    } catch (IOException e) {
      err.println("audit log: cannot read " + dir.toAbsolutePath() + ": " + e);
      return 1;
    }
    if (result.files().isEmpty()) {
      err.println("audit log: no audit files in " + dir.toAbsolutePath());
      return 1;
    }
    if (result.firstBreak().isPresent()) {
      AuditChainBreak broken = result.firstBreak().get();
      out.println(
          "audit log BROKEN at "
              + broken.file()
              + ":"
              + broken.line()
              + " (seq "
              + (broken.seq() > 0 ? Long.toString(broken.seq()) : "unreadable")
              + "): "
              + broken.message());
      return 1;
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
    return 0;
  }

  private static String describe(AuditChainGap gap) {
    return gap.file() + ":" + gap.line() + " " + gap.description();
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
