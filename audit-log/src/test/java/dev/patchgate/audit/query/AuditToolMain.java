package dev.patchgate.audit.query;

import dev.patchgate.audit.report.KbSources;
import java.util.List;

/**
 * Runs {@code query ...} or {@code report ...} outside the gateway's CLI, for the benchmark: {@code
 * java -cp target/classes:target/test-classes dev.patchgate.audit.query.AuditToolMain query --dir
 * DIR ...}, with the options as {@code --name value} pairs ({@link CommandRun}). Exits with the
 * command's status.
 */
public final class AuditToolMain {
  private AuditToolMain() {}

  public static void main(String[] args) {
    List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
    int exit;
    if (args.length > 0 && args[0].equals("query")) {
      exit = CommandRun.QUERY.run(rest, null, System.out, System.err);
    } else if (args.length > 0 && args[0].equals("report")) {
      // The generated log's downloads all come from Windows Update hosts, so every host may name
      // KB numbers; the gateway's CLI decides this from the allowlist instead.
      KbSources everyHost = KbSources.of("every host (benchmark)", (host, entry) -> true);
      exit = CommandRun.report(() -> everyHost).run(rest, null, System.out, System.err);
    } else {
      System.err.println("usage: AuditToolMain query|report ARGS...");
      exit = 2;
    }
    System.exit(exit);
  }
}
