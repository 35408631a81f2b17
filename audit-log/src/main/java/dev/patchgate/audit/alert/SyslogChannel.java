package dev.patchgate.audit.alert;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends alerts to a syslog collector ({@link SyslogMessage} formats them): over UDP one datagram
 * per message; over TCP on one kept-open connection with RFC 6587 octet-counting framing ({@code
 * LEN SP MSG}), reconnecting on the next send after a failure.
 *
 * <p>Driven by one thread; {@link #close} from another thread ends a blocked send.
 */
final class SyslogChannel implements AlertChannel {
  private final SyslogSettings settings;
  private String hostname;
  private volatile DatagramSocket udp;
  private volatile Socket tcp;
  private InetSocketAddress target;
  private volatile boolean closed;

  SyslogChannel(SyslogSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "syslog";
  }

  @Override
  public void send(Alert alert) throws IOException {
    if (closed) {
      throw new IOException("channel closed");
    }
    byte[] message =
        SyslogMessage.format(alert, settings.facility(), hostname())
            .getBytes(StandardCharsets.UTF_8);
    try {
      if (settings.protocol() == SyslogSettings.Protocol.UDP) {
        sendUdp(message);
      } else {
        sendTcp(message);
      }
    } catch (IOException | RuntimeException e) {
      // Resolve again next time: the collector may have moved, or the failure was transient.
      target = null;
      closeTcp();
      throw e;
    }
  }

  private void sendUdp(byte[] message) throws IOException {
    if (udp == null) {
      udp = new DatagramSocket();
    }
    udp.send(new DatagramPacket(message, message.length, target()));
  }

  private void sendTcp(byte[] message) throws IOException {
    Socket socket = tcp;
    if (socket == null) {
      socket = new Socket();
      tcp = socket;
      socket.setKeepAlive(true);
      socket.connect(target(), (int) settings.connectTimeout().toMillis());
    }
    OutputStream out = socket.getOutputStream();
    SyslogMessage.writeOctetCounted(out, message);
    out.flush();
  }

  private InetSocketAddress target() throws IOException {
    if (target == null) {
      InetSocketAddress resolved = new InetSocketAddress(settings.host(), settings.port());
      if (resolved.isUnresolved()) {
        throw new IOException("cannot resolve syslog host " + settings.host());
      }
      target = resolved;
    }
    return target;
  }

  private String hostname() {
    if (hostname == null) {
      String name;
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        name = "-";
      }
      hostname = SyslogMessage.hostname(name);
    }
    return hostname;
  }

  private void closeTcp() {
    Socket socket = tcp;
    tcp = null;
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing is all that is left to do with it.
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    closeTcp();
    DatagramSocket socket = udp;
    if (socket != null) {
      socket.close();
    }
  }
}
