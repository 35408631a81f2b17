package dev.patchgate.proxy.cli;

/** Entry point of {@code patchgate.jar}; see {@link Cli} for the commands. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status = new Cli(System.out, System.err).execute(args);
    if (status != 0) {
      System.exit(status);
    }
  }
}
