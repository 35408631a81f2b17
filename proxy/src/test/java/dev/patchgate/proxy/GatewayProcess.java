package dev.patchgate.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged gateway ({@code proxy/target/patchgate.jar}) run as its own JVM, the way an operator
 * runs it. Its start is awaited by reading its "listening on" log line, not by sleeping.
 */
final class GatewayProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern ADMIN = Pattern.compile("\\(admin: 127\\.0\\.0\\.1:(\\d+)\\)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread reader;

  private GatewayProcess(Process process) {
    this.process = process;
    reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              port.completeExceptionally(new IllegalStateException("gateway exited: " + output));
            },
            "gateway-output");
    reader.setDaemon(true);
    reader.start();
  }

  static Path jar() {
    Path jar = Path.of("target", "patchgate.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: run `mvn verify`, which packages it first");
    }
    return jar;
  }

  /** Starts {@code java [jvmArgs] -jar patchgate.jar ARGS} in {@code workDir}, output merged. */
  static GatewayProcess start(Path workDir, List<String> jvmArgs, String... args)
      throws IOException {
    return start(workDir, List.of(), jvmArgs, args);
  }

  /**
   * Starts the gateway as {@link #start(Path, List, String...)} does, under a file limit of {@code
   * files} descriptors (soft and hard, set with prlimit(1), as systemd's LimitNOFILE does).
   */
  static GatewayProcess startWithFileLimit(Path workDir, long files, String... args)
      throws IOException {
    return start(
        workDir, List.of("prlimit", "--nofile=" + files + ":" + files, "--"), List.of(), args);
  }

  private static GatewayProcess start(
      Path workDir, List<String> launcher, List<String> jvmArgs, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    return new GatewayProcess(process);
  }

  /**
   * Runs the gateway in {@code dir} on an ephemeral loopback port, allowing only 127.0.0.1 on
   * {@code originPort}, auditing to {@code dir/audit}; {@code extraConfig} is appended to its
   * configuration file.
   */
  static GatewayProcess runAllowingLoopbackPort(
      Path dir, int originPort, List<String> jvmArgs, String extraConfig) throws IOException {
    return runAllowingLoopbackPort(dir, originPort, List.of(), jvmArgs, extraConfig);
  }

  /**
   * Same, started through {@code launcher}, e.g. {@code env NAME=VALUE} for an environment variable
   * the gateway reads.
   */
  static GatewayProcess runAllowingLoopbackPort(
      Path dir, int originPort, List<String> launcher, List<String> jvmArgs, String extraConfig)
      throws IOException {
    Files.writeString(
        dir.resolve("allowlist.conf"),
        "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }".formatted(originPort));
    Files.writeString(
        dir.resolve("patchgate.conf"),
        """
        patchgate.listen = "127.0.0.1:0"
        patchgate.allowlist = "allowlist.conf"
        patchgate.audit.dir = "audit"
        patchgate.admin.listen = "127.0.0.1:0"
        """
            + extraConfig);
    return start(dir, launcher, jvmArgs, "run", "--config", "patchgate.conf");
  }

  /** Writes {@code text} to its standard input and closes it, as a pipe into it would. */
  GatewayProcess input(String text) throws IOException {
    try (var in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return this;
  }

  /** The port it listens on, once it says so (at most 30 s). */
  int awaitPort() throws Exception {
    return port.get(30, TimeUnit.SECONDS);
  }

  /** The admin listener's port, from the same start line (at most 30 s). */
  int awaitAdminPort() throws Exception {
    awaitPort();
    for (String line : output) {
      Matcher m = ADMIN.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new IllegalStateException("no admin listener: " + output);
  }

  /** Waits for the process to end by itself and returns its exit code. */
  int awaitExit() throws Exception {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("still running: " + output);
    }
    reader.join(10_000); // its last lines are read once the process has ended
    return process.exitValue();
  }

  /**
   * Sends a signal ({@code "HUP"}, {@code "TERM"}) with {@code kill(1)}, as {@code systemctl
   * reload} and {@code systemctl stop} do; returns once {@code kill} has delivered it.
   */
  void signal(String name) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException(
          "kill -"
              + name
              + " failed: "
              + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Waits at most {@code limit} for the process to end (after a signal) and returns its exit code;
   * throws if it is still running then.
   */
  int awaitExit(Duration limit) throws Exception {
    if (!process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("still running after " + limit + ": " + output);
    }
    reader.join(10_000); // its last lines are read once the process has ended
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed; as a power cut looks to the files. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor();
  }

  List<String> output() {
    return List.copyOf(output);
  }

  @Override
  public void close() {
    // SIGTERM through the handle: Process.destroy() would also close our end of its output pipe
    // and lose what the gateway logs while it stops.
    process.toHandle().destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      reader.join(10_000); // its last lines are read once the process has ended
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
