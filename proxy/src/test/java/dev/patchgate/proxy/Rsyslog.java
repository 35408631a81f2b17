package dev.patchgate.proxy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslog (Debian's {@code rsyslog} and {@code rsyslog-gnutls}) as the central audit
 * collector: its own configuration in a temporary directory (no system sockets, no kernel log),
 * {@code imtcp} with TLS on a 127.0.0.1 port, and an {@code omfile} writing {@code HOSTNAME SP MSG}
 * per line, the README's template. Also makes the test PKI with the openssl command line.
 */
final class Rsyslog implements AutoCloseable {
  /** The README's receiving side, with the paths and port filled in. */
  private static final String CONFIG =
      """
      global(workDirectory="%1$s/work" maxMessageSize="64k"
             defaultNetstreamDriver="gtls"
             defaultNetstreamDriverCAFile="%2$s"
             defaultNetstreamDriverCertFile="%3$s"
             defaultNetstreamDriverKeyFile="%4$s")
      module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1"
             streamDriver.authMode="%6$s")
      template(name="gatewayLine" type="string" string="%%HOSTNAME%% %%msg%%\\n")
      ruleset(name="patchgate-audit") {
        if $app-name == "patchgate" and $msgid == "audit" then {
          action(type="omfile" file="%1$s/collector.log" template="gatewayLine")
        }
      }
      input(type="imtcp" address="127.0.0.1" port="%5$d" ruleset="patchgate-audit")
      """;

  private final Path dir;
  private final int port;
  private Process process;

  private Rsyslog(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** A test CA and a server certificate it signed, for 127.0.0.1 and localhost. */
  record Pki(Path ca, Path caKey, Path serverCert, Path serverKey) {
    /** A client certificate {@code name} signed by this CA, and its PKCS#8 key: {cert, key}. */
    Path[] client(String name) throws Exception {
      return issue(ca.getParent(), ca, caKey, name, null);
    }

    /** A client certificate {@code name} and its key in one PKCS#12 file with {@code password}. */
    Path clientP12(String name, String password) throws Exception {
      Path[] pem = client(name);
      Path p12 = ca.getParent().resolve(name + ".p12");
      run(
          ca.getParent(),
          "openssl",
          "pkcs12",
          "-export",
          "-in",
          pem[0].toString(),
          "-inkey",
          pem[1].toString(),
          "-certfile",
          ca.toString(),
          "-out",
          p12.toString(),
          "-passout",
          "pass:" + password);
      return p12;
    }

    static Pki create(Path dir) throws Exception {
      Files.createDirectories(dir);
      Path ca = dir.resolve("ca.pem");
      Path caKey = dir.resolve("ca.key");
      run(
          dir,
          "openssl",
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          caKey.toString(),
          "-out",
          ca.toString(),
          "-days",
          "2",
          "-subj",
          "/CN=patchgate test CA");
      Path[] server = issue(dir, ca, caKey, "localhost", "IP:127.0.0.1,DNS:localhost");
      return new Pki(ca, caKey, server[0], server[1]);
    }

    /** A certificate for {@code name} (and {@code san}, or none) with its key: {cert, key}. */
    private static Path[] issue(Path dir, Path ca, Path caKey, String name, String san)
        throws Exception {
      Path cert = dir.resolve(name + ".pem");
      Path key = dir.resolve(name + ".key");
      Path csr = dir.resolve(name + ".csr");
      run(
          dir,
          "openssl",
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          key.toString(),
          "-out",
          csr.toString(),
          "-subj",
          "/CN=" + name);
      List<String> sign =
          new ArrayList<>(
              List.of(
                  "openssl",
                  "x509",
                  "-req",
                  "-in",
                  csr.toString(),
                  "-CA",
                  ca.toString(),
                  "-CAkey",
                  caKey.toString(),
                  "-CAcreateserial",
                  "-out",
                  cert.toString(),
                  "-days",
                  "2"));
      if (san != null) {
        Path ext = Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
        sign.addAll(List.of("-extfile", ext.toString()));
      }
      run(dir, sign.toArray(new String[0]));
      return new Path[] {cert, key};
    }
  }

  /** Starts rsyslogd with TLS on a free port, serving {@code pki}'s server certificate. */
  static Rsyslog startTls(Path dir, Pki pki) throws Exception {
    return startTls(dir, pki, "anon");
  }

  /**
   * Same, checking clients as {@code authMode} says: {@code anon} (any client) or {@code
   * x509/certvalid} (a client certificate signed by the CA).
   */
  static Rsyslog startTls(Path dir, Pki pki, String authMode) throws Exception {
    Files.createDirectories(dir.resolve("work"));
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Files.writeString(
        dir.resolve("rsyslog.conf"),
        CONFIG.formatted(dir, pki.ca(), pki.serverCert(), pki.serverKey(), port, authMode));
    Rsyslog rsyslog = new Rsyslog(dir, port);
    rsyslog.start();
    return rsyslog;
  }

  int port() {
    return port;
  }

  /** Starts (again) and waits until the port accepts connections. */
  void start() throws IOException {
    process =
        new ProcessBuilder(
                "rsyslogd",
                "-n",
                "-f",
                dir.resolve("rsyslog.conf").toString(),
                "-i",
                dir.resolve("rsyslogd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile()))
            .start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd exited: " + output());
              }
              return accepts();
            });
  }

  /**
   * SIGTERM, as {@code systemctl stop rsyslog}; waits for it to end (it writes out what it read).
   */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** The collector's file, one {@code HOSTNAME SP AUDITLINE} each; empty before the first. */
  Path file() {
    return dir.resolve("collector.log");
  }

  List<String> lines() throws IOException {
    return Files.exists(file()) ? Files.readAllLines(file(), StandardCharsets.UTF_8) : List.of();
  }

  /** What rsyslogd printed. */
  String output() throws IOException {
    Path out = dir.resolve("rsyslogd.out");
    return Files.exists(out) ? Files.readString(out) : "";
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }
}
