package dev.patchgate.audit.alert;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A syslog collector on a UDP port of 127.0.0.1 that keeps every datagram as text. */
final class RecordingUdpSyslog implements AutoCloseable {
  final List<String> messages = new CopyOnWriteArrayList<>();
  private final DatagramSocket socket;
  private final Thread thread;

  RecordingUdpSyslog() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::receive, "recording-udp-syslog");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void receive() {
    byte[] buffer = new byte[65_536];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        return;
      }
      messages.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
