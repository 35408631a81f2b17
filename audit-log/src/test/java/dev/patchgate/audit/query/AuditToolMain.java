package dev.patchgate.audit.query;

import java.util.List;

/**
 * Runs {@code query ...} or {@code report ...} outside the gateway's CLI, for the benchmark: {@code
 * java -cp target/classes:target/test-classes dev.patchgate.audit.query.AuditToolMain query --dir
 * DIR ...}. Exits with the command's status.
 */
public final class AuditToolMain {
  private AuditToolMain() {}

  public static void main(String[] args) throws ReflectiveOperationException {
    List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
    int exit;
    if (args.length > 0 && args[0].equals("query")) {
      exit = AuditQueryCommand.run(rest, null, System.out, System.err);
    } else if (args.length > 0 && args[0].equals("report")) {
      // By name, so that this package's tests do not depend on the report package.
      exit =
          (int)
              Class.forName("dev.patchgate.audit.report.AuditReportCommand")
                  .getMethod(
                      "run",
                      List.class,
                      java.nio.file.Path.class,
                      java.io.PrintStream.class,
                      java.io.PrintStream.class)
                  .invoke(null, rest, null, System.out, System.err);
    } else {
      System.err.println("usage: AuditToolMain query|report ARGS...");
      exit = 2;
    }
    System.exit(exit);
  }
}
