package dev.patchgate.proxy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Squid (Debian's {@code squid}) on a loopback port, run in the foreground as a parent
 * proxy, with its own configuration, logs and hosts file in a directory of its own, optionally
 * asking for Basic credentials (a helper script that accepts exactly one user and password). Its
 * access log proves a request went through it.
 *
 * <p>Fails, never skips, when {@code squid} is missing: {@code .ci/run} installs it.
 */
final class SquidParent implements AutoCloseable {
  private static final String SQUID = "/usr/sbin/squid";

  private final Path dir;
  private final int port;
  private final Process process;

  private SquidParent(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts Squid and waits until it accepts connections.
   *
   * @param hosts the names Squid resolves to 127.0.0.1 (its own hosts file: it resolves origins
   *     itself)
   * @param user the user it accepts, or null for no authentication
   * @param password that user's password
   */
  static SquidParent start(List<String> hosts, String user, String password) throws Exception {
    if (!Files.isExecutable(Path.of(SQUID))) {
      throw new IllegalStateException(
          SQUID + " is missing: install Debian's squid (.ci/run does: need_packages squid)");
    }
    // Squid started as root runs as the user "proxy": everything it touches must be open to it.
    Path dir = Files.createTempDirectory("patchgate-squid");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(
        dir.resolve("hosts"),
        "127.0.0.1 localhost " + String.join(" ", hosts) + "\n",
        StandardCharsets.US_ASCII);
    int port = freePort();
    StringBuilder conf =
        new StringBuilder(
            """
            http_port 127.0.0.1:%d
            pid_filename %s/squid.pid
            cache_log %s/cache.log
            access_log stdio:%s/access.log
            coredump_dir %s
            hosts_file %s/hosts
            cache deny all
            strip_query_terms off
            cache_mem 8 MB
            shutdown_lifetime 0 seconds
            """
                .formatted(port, dir, dir, dir, dir, dir));
    if (user != null) {
      Path helper = dir.resolve("basic-auth.sh");
      Files.writeString(
          helper,
          """
          #!/bin/sh
          while read -r user password; do
            if [ "$user" = "%s" ] && [ "$password" = "%s" ]; then echo OK; else echo ERR; fi
          done
          """
              .formatted(user, password));
      Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
      conf.append(
          """
          auth_param basic program %s
          auth_param basic children 1 startup=1 idle=1
          auth_param basic realm patchgate-test
          auth_param basic credentialsttl 1 second
          acl authed proxy_auth REQUIRED
          http_access allow authed
          """
              .formatted(helper));
    } else {
      conf.append("http_access allow localhost\n");
    }
    conf.append("http_access deny all\n");
    Path file = dir.resolve("squid.conf");
    Files.writeString(file, conf);
    Process process =
        new ProcessBuilder(SQUID, "-N", "-f", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("squid.out").toFile())
            .start();
    SquidParent squid = new SquidParent(dir, port, process);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("squid exited: " + squid.output());
                }
                return squid.accepts();
              });
    } catch (RuntimeException e) {
      squid.close();
      throw e;
    }
    return squid;
  }

  int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}, as {@code patchgate.upstream.proxies} names it. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The access log's lines so far (Squid writes a line when a transaction ends). */
  List<String> accessLog() {
    Path log = dir.resolve("access.log");
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits (up to 10 s) for an access log line that contains every one of {@code parts}. */
  String awaitAccess(String... parts) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                accessLog().stream()
                    .filter(l -> Stream.of(parts).allMatch(l::contains))
                    .findFirst(),
            java.util.Optional::isPresent)
        .get();
  }

  private boolean accepts() {
    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String output() {
    try {
      Path cacheLog = dir.resolve("cache.log");
      return Files.readString(dir.resolve("squid.out"))
          + (Files.exists(cacheLog) ? Files.readString(cacheLog) : "");
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
