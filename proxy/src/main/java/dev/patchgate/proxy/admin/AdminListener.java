package dev.patchgate.proxy.admin;

import dev.patchgate.audit.Ticker;
import dev.patchgate.proxy.config.AdminSettings;
import dev.patchgate.proxy.config.ConsoleSettings;
import dev.patchgate.proxy.console.ConsoleRoutes;
import dev.patchgate.proxy.exchange.ExchangeLog;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener ({@code patchgate.admin.listen}): {@code /metrics}, {@code /healthz} and
 * {@code /readyz} for the addresses in {@code patchgate.admin.clients}, 403 for everyone else, and
 * an audit record of every request either way.
 *
 * <p>Vert.x Web serves it (routing, and for the console sessions and CSRF tokens), on a Vert.x
 * instance of its own with one event loop, so that a flood on the proxy listener cannot keep the
 * monitoring from seeing it. Requests are small and bounded: a request line of 4 KiB, headers of 8
 * KiB; at most {@value #MAX_CONNECTIONS} connections at once, each closed after {@link #IDLE}
 * without traffic.
 *
 * <p>With {@code patchgate.console.enabled} it serves the console too ({@link ConsoleRoutes}); with
 * {@code patchgate.console.tls.keystore} the whole listener speaks TLS only.
 *
 * <p>Public for the gateway's wiring.
 */
public final class AdminListener implements AutoCloseable {
  static final int MAX_CONNECTIONS = 64;
  static final String CSRF_REFUSED = "CSRF token missing or wrong";
  // Longer than a console read waits for its answer: a month of a large hospital's log takes up to
  // a minute to read (bench/RESULTS.md, "Console reads"), and nothing is sent until it is read.
  static final Duration IDLE = Duration.ofSeconds(120);
  private static final int MAX_REQUEST_LINE = 4096;
  private static final int MAX_HEADERS = 8192;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(AdminListener.class);

  private final Vertx vertx;
  private final InetSocketAddress address;

  private AdminListener(Vertx vertx, InetSocketAddress address) {
    this.vertx = vertx;
    this.address = address;
  }

  /**
   * Binds {@code bindTo} and starts answering.
   *
   * @throws AdminBindException when the address cannot be bound; the message says why
   */
  public static AdminListener start(
      InetSocketAddress bindTo,
      AdminSettings settings,
      PrometheusMeters meters,
      Readiness readiness,
      ExchangeLog log,
      ConsoleRoutes.Sources console) {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(1)
                .setUseDaemonThread(true)
                // Nothing is read from the class path through the file system: no .vertx cache
                // directory in the working directory (read-only under systemd).
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    AdminExchanges exchanges = new AdminExchanges(settings, log);
    AdminEndpoints endpoints = new AdminEndpoints(meters, readiness);
    Router router = Router.router(vertx);
    router.route().handler(AdminExchanges::headAsGet);
    router.route().handler(exchanges::begin);
    for (String path :
        List.of(AdminEndpoints.METRICS, AdminEndpoints.HEALTHZ, AdminEndpoints.READYZ)) {
      router.route(path).handler(ctx -> monitoring(ctx, endpoints, path));
    }
    ConsoleSettings consoleSettings = settings.console();
    if (consoleSettings.enabled()) {
      ConsoleRoutes.mount(router, vertx, consoleSettings, console, Ticker.SYSTEM);
    }
    router.route().handler(ctx -> AdminExchanges.send(ctx.response(), AdminEndpoints.notFound()));
    router.route().failureHandler(AdminListener::failed);

    HttpServerOptions options =
        new HttpServerOptions()
            // HTTP/1.1 only: Vert.x would otherwise upgrade a client that offers h2c (the
            // JDK's HttpClient does) to HTTP/2, where "Connection: close" means nothing.
            .setHttp2ClearTextEnabled(false)
            .setHost(bindTo.getHostString())
            .setPort(bindTo.getPort())
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADERS)
            .setIdleTimeout((int) IDLE.toSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (consoleSettings.tls().isPresent()) {
      ConsoleSettings.Keystore keystore = consoleSettings.tls().get();
      byte[] pkcs12;
      try {
        pkcs12 = opened(keystore);
      } catch (KeystoreException e) {
        stop(vertx);
        throw e;
      }
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PfxOptions().setValue(Buffer.buffer(pkcs12)).setPassword(keystore.password()));
    }
    HttpServer server = vertx.createHttpServer(options);
    AtomicInteger open = new AtomicInteger();
    server
        .connectionHandler(
            connection -> {
              if (open.incrementAndGet() > MAX_CONNECTIONS) {
                open.decrementAndGet();
                connection.close();
                return;
              }
              connection.closeHandler(closed -> open.decrementAndGet());
              AdminExchanges.countBytes(connection);
            })
        .invalidRequestHandler(exchanges::malformed)
        .requestHandler(router);
    try {
      server
          .listen()
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      stop(vertx);
      throw new AdminBindException(e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(vertx);
      throw new AdminBindException(e);
    }
    return new AdminListener(
        vertx, new InetSocketAddress(bindTo.getAddress(), server.actualPort()));
  }

  /**
   * The keystore's bytes, once the JDK has opened them with its password: Vert.x would only find a
   * wrong password or a damaged file when it listens, and say so as a failure to listen.
   */
  private static byte[] opened(ConsoleSettings.Keystore keystore) {
    try {
      byte[] pkcs12 = Files.readAllBytes(keystore.file());
      KeyStore.getInstance("PKCS12")
          .load(new ByteArrayInputStream(pkcs12), keystore.password().toCharArray());
      return pkcs12;
    } catch (IOException | GeneralSecurityException e) {
      throw new KeystoreException(
          "patchgate.console.tls.keystore: cannot open "
              + keystore.file()
              + " as a PKCS#12 keystore with the password from"
              + " patchgate.console.tls.password-env ("
              + e.getMessage()
              + "); check the file and the variable's value",
          e);
    }
  }

  /** {@code /metrics}, {@code /healthz}, {@code /readyz}: GET and HEAD only. */
  private static void monitoring(RoutingContext ctx, AdminEndpoints endpoints, String path) {
    HttpMethod method = ctx.request().method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
      AdminExchanges.send(ctx.response(), AdminEndpoints.Answer.text(405, "only GET and HEAD\n"));
      return;
    }
    AdminExchanges.send(ctx.response(), endpoints.get(path));
  }

  /** A handler failed or refused the request: the status it chose, 500 when it threw. */
  private static void failed(RoutingContext ctx) {
    int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    AdminNote note = AdminNote.of(ctx);
    if (status == 403 && note != null && note.reason == null) {
      // Vert.x Web's CSRF handler is the one that refuses with 403 on its own.
      note.deny(CSRF_REFUSED);
    }
    if (status >= 500) {
      LOG.error("admin request {} failed", ctx.request().uri(), ctx.failure());
    } else {
      // Recorded in the audit log; the service log only for debugging.
      LOG.debug("admin request {} refused: {}", ctx.request().uri(), status, ctx.failure());
    }
    if (!ctx.response().ended()) {
      AdminExchanges.send(
          ctx.response(),
          AdminEndpoints.Answer.text(
              status, HttpResponseStatus.valueOf(status).reasonPhrase() + "\n"));
    }
  }

  /** Where the admin listener is bound (the real port when 0 was configured). */
  public InetSocketAddress address() {
    return address;
  }

  /** Stops listening, closes every admin connection and waits (briefly) for the event loop. */
  @Override
  public void close() {
    stop(vertx);
  }

  private static void stop(Vertx vertx) {
    try {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Closing is best effort: the process is stopping or the start failed anyway.
    }
  }

  /**
   * The console's keystore cannot be opened (a wrong password, not a PKCS#12 file); the message
   * names the setting to fix.
   */
  public static final class KeystoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeystoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The admin address could not be bound; the cause says why (in use, not an own address). */
  public static final class AdminBindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AdminBindException(Throwable cause) {
      super(String.valueOf(cause.getMessage()), cause);
    }
  }
}
