package dev.patchgate.proxy.cli;

import dev.patchgate.audit.text.ByteSize;
import dev.patchgate.audit.text.DisplayText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mirror prefetch FILE}: each URL of the file in turn through the running gateway, as a
 * proxy client of it, so its allowlist decides and its own fills warm the mirror. A line per URL on
 * {@code err} (and a {@link ProgressBar} while it downloads, on a terminal), then a summary on
 * {@code out}; exit 0 when every URL was fetched, 1 otherwise, 2 when the file is not a list of
 * {@code http://} URLs (nothing is fetched then). Not thread-safe: one run.
 */
final class Prefetch {
  private final InetSocketAddress gateway;
  private final List<URI> urls;
  private final Terminal terminal;
  private final PrintStream err;
  private final HttpClient client;
  private int fetched;
  private int denied;
  private int failed;
  private long bytes;

  private Prefetch(InetSocketAddress gateway, List<URI> urls, Terminal terminal) {
    this.gateway = gateway;
    this.urls = urls;
    this.terminal = terminal;
    this.err = terminal.err();
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(ProxySelector.of(gateway))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * Reads {@code file} and fetches its URLs through {@code gateway}.
   *
   * @param spec the command, for a usage error about the file
   */
  static int run(CommandSpec spec, Path file, InetSocketAddress gateway, Terminal terminal) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw UsageErrors.of(spec, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    List<URI> urls = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      URI uri = httpUri(line);
      if (uri == null) {
        problems.add(
            DisplayText.clean(
                file
                    + ":"
                    + (n + 1)
                    + ": '"
                    + line
                    + "' is not an http:// URL (the mirror stores plain-HTTP downloads only)"));
      } else {
        urls.add(uri);
      }
    }
    PrintStream err = terminal.err();
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.println("patchgate mirror prefetch: nothing fetched");
      return Cli.USAGE;
    }
    if (urls.isEmpty()) {
      err.println(DisplayText.clean("patchgate mirror prefetch: no URLs in " + file));
      return Cli.USAGE;
    }
    return new Prefetch(gateway, urls, terminal).run();
  }

  /** Where to reach a gateway listening on {@code listen}: every interface means loopback. */
  static InetSocketAddress proxyAddress(InetSocketAddress listen) {
    String host = listen.getHostString();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
      host = "::1";
    }
    return InetSocketAddress.createUnresolved(host, listen.getPort());
  }

  private static URI httpUri(String line) {
    try {
      URI uri = new URI(line);
      boolean http = "http".equalsIgnoreCase(uri.getScheme());
      return http && uri.getHost() != null && uri.getRawFragment() == null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private int run() {
    for (int i = 0; i < urls.size(); i++) {
      URI url = urls.get(i);
      String counter = "[" + (i + 1) + "/" + urls.size() + "] ";
      String shown = DisplayText.clean(url.toString());
      try {
        HttpResponse<InputStream> response =
            client.send(
                HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          long n;
          try (InputStream body = response.body()) {
            n = download(body, counter, response.headers().firstValueAsLong("Content-Length"));
          }
          fetched++;
          bytes += n;
          err.println(counter + status + " " + ByteSize.human(n) + " " + shown);
        } else {
          String why = firstLine(response.body());
          if (status == 403) {
            denied++;
          } else {
            failed++;
          }
          err.println(counter + status + " " + shown + (why.isEmpty() ? "" : " (" + why + ")"));
        }
      } catch (ConnectException e) {
        // Nothing listens there: every other URL would fail the same way.
        err.println(
            "patchgate mirror prefetch: cannot reach the gateway at "
                + describe(gateway)
                + " (connection refused); is it running? (--gateway HOST:PORT)");
        return Cli.INVALID;
      } catch (IOException e) {
        failed++;
        err.println(counter + "failed " + shown + " (" + reason(e) + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println("patchgate mirror prefetch: interrupted");
        return Cli.INVALID;
      }
    }
    terminal
        .out()
        .println(
            MirrorAdmin.plural(urls.size(), "URL")
                + ": "
                + fetched
                + " fetched ("
                + ByteSize.human(bytes)
                + "), "
                + denied
                + " denied (403), "
                + failed
                + " failed");
    return fetched == urls.size() ? Cli.OK : Cli.INVALID;
  }

  /** Reads the body to its end, drawing the progress bar meanwhile; returns its length. */
  private long download(InputStream body, String counter, OptionalLong length) throws IOException {
    ProgressBar bar =
        terminal.interactive()
            ? new ProgressBar(err, counter, length.orElse(-1), System::nanoTime)
            : null;
    long n = 0;
    byte[] buffer = new byte[1 << 16];
    if (bar != null) {
      bar.draw(0);
    }
    try {
      for (int r = body.read(buffer); r >= 0; r = body.read(buffer)) {
        n += r;
        if (bar != null) {
          bar.update(n);
        }
      }
      if (bar != null) {
        bar.draw(n);
      }
    } finally {
      if (bar != null) {
        // The URL's own line replaces the bar.
        bar.clear();
      }
    }
    return n;
  }

  /** The first line of a refusal's body (the gateway names its reason there), at most 200. */
  private static String firstLine(InputStream body) throws IOException {
    byte[] head;
    try (body) {
      head = body.readNBytes(200);
      body.transferTo(OutputStream.nullOutputStream());
    }
    String text = new String(head, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    return DisplayText.clean((nl < 0 ? text : text.substring(0, nl)).strip());
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    return DisplayText.clean(
        message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
  }

  private static String describe(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
