package dev.patchgate.proxy.cli;

/** Entry point of {@code patchgate.jar}; see {@link Cli} for the frame and the exit codes. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status =
        new Cli(new Terminal(System.out, System.err, System.console() != null)).execute(args);
    if (status != 0) {
      System.exit(status);
    }
  }
}
