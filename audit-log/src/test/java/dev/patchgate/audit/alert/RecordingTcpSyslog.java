package dev.patchgate.audit.alert;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A syslog collector on a TCP port of 127.0.0.1 that reads RFC 6587 octet-counted frames ({@code
 * LEN SP MSG}) and keeps each message; a frame that is not octet-counted is kept as {@code BAD
 * FRAME}. Public for the audit forwarder's tests.
 */
public final class RecordingTcpSyslog implements AutoCloseable {
  public final List<String> messages = new CopyOnWriteArrayList<>();
  public final AtomicInteger connections = new AtomicInteger();
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  /** Listens on {@code port}, 0 for any free one. */
  public RecordingTcpSyslog(int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread thread = new Thread(this::accept, "recording-tcp-syslog");
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      accepted.add(socket);
      Thread reader = new Thread(() -> read(socket), "recording-tcp-syslog-conn");
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void read(Socket socket) {
    try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
      while (true) {
        int length = 0;
        int c = in.read();
        if (c < 0) {
          return;
        }
        while (c >= '0' && c <= '9') {
          length = length * 10 + (c - '0');
          c = in.read();
        }
        if (c != ' ' || length == 0) {
          messages.add("BAD FRAME");
          return;
        }
        byte[] message = in.readNBytes(length);
        if (message.length < length) {
          throw new EOFException();
        }
        messages.add(new String(message, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The sender went away.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}
