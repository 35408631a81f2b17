package dev.patchgate.audit.forward;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One connection to the collector, plain TCP or TLS, with a thread that reads from it.
 *
 * <p>A syslog collector never answers, so that reader's only job is to notice the connection's end:
 * the collector closing it, stopping, or resetting it. Until then the connection is {@link #alive}.
 * On a clean end the gateway half-closes its side and waits for the collector to close too: a
 * collector closes only after it has read everything before the gateway's end, so that close is the
 * one acknowledgement plain syslog has.
 *
 * <p>{@link #write} and {@link #finish} are called from the forwarder's thread; {@link #alive} and
 * {@link #close} from any.
 */
final class CollectorConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile String endReason;
  private volatile boolean closing;

  private CollectorConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    Thread reader = new Thread(this::readUntilEnd, "patchgate-audit-forward-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Connects, and with TLS completes the handshake, checking the collector's certificate against
   * {@code tls}'s trust and its name against {@code settings.host()}.
   *
   * @param tls the TLS context, or {@code null} for plain TCP
   * @throws IOException when the collector cannot be reached or its certificate is refused
   */
  static CollectorConnection open(ForwardSettings settings, SSLContext tls) throws IOException {
    int timeout = (int) settings.connectTimeout().toMillis();
    InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
    if (address.isUnresolved()) {
      throw new IOException("cannot resolve " + settings.host());
    }
    Socket plain = new Socket();
    try {
      plain.setKeepAlive(true);
      plain.connect(address, timeout);
      if (tls == null) {
        return new CollectorConnection(plain);
      }
      SSLSocket socket =
          (SSLSocket)
              tls.getSocketFactory().createSocket(plain, settings.host(), settings.port(), true);
      SSLParameters parameters = socket.getSSLParameters();
      // Checks that the certificate names the host (or address) the URL names.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(timeout);
      socket.startHandshake();
      socket.setSoTimeout(0);
      return new CollectorConnection(socket);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** Writes and flushes frames; the bytes are then the kernel's to deliver. */
  void write(byte[] frames, int length) throws IOException {
    if (!alive()) {
      throw new IOException(endReason);
    }
    out.write(frames, 0, length);
    out.flush();
  }

  /** Whether neither side has ended the connection. */
  boolean alive() {
    return ended.getCount() > 0 && !closing;
  }

  /** Why the collector ended the connection, or {@code null} while it has not. */
  String endReason() {
    return endReason;
  }

  /**
   * Ends the gateway's side cleanly and waits up to {@code wait} for the collector to close its
   * side, which it does only after reading everything sent; then closes.
   *
   * @return true when the collector closed after the gateway's end: it has read every byte
   */
  boolean finish(Duration wait) {
    boolean acknowledged = false;
    try {
      if (alive()) {
        out.flush();
        socket.shutdownOutput();
        acknowledged = ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (IOException | UnsupportedOperationException e) {
      acknowledged = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
    return acknowledged;
  }

  @Override
  public void close() {
    closing = true;
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing more will be sent on it.
    }
  }

  private void readUntilEnd() {
    byte[] sink = new byte[512];
    try {
      InputStream in = socket.getInputStream();
      while (in.read(sink) >= 0) {
        // A collector sends nothing; whatever it does send is ignored.
      }
      endReason = "the collector closed the connection";
    } catch (IOException e) {
      endReason = "the connection to the collector broke: " + e.getMessage();
    } finally {
      ended.countDown();
    }
  }
}
