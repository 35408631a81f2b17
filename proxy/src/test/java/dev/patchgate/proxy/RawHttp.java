package dev.patchgate.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Raw HTTP/1.1 over a socket, for requests no well-behaved client would send, and exact byte
 * counts.
 */
public final class RawHttp {
  private RawHttp() {}

  /** One response as it came off the wire. */
  public record Response(int status, Map<String, String> headers, byte[] body, long wireBytes) {
    public String bodyText() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  /** Sends {@code request} (CRLF line ends expected in the text) and returns its byte length. */
  public static int send(Socket socket, String request) throws IOException {
    byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return bytes.length;
  }

  /** Reads one response; a body is read by Content-Length, or to the end for a closing response. */
  public static Response read(Socket socket, boolean headRequest) throws IOException {
    InputStream in = socket.getInputStream();
    String head = completeHead(in, "response");
    String[] lines = head.split("\r\n", -1);
    int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue; // the blank line that ends the head
      }
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body;
    if (headRequest) {
      body = new byte[0];
    } else if (headers.containsKey("content-length")) {
      int length = Integer.parseInt(headers.get("content-length"));
      body = in.readNBytes(length);
      if (body.length < length) {
        throw new EOFException(
            "connection closed after " + body.length + " of " + length + " body bytes");
      }
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, body, head.length() + (long) body.length);
  }

  /** Reads until the other side closes; returns everything. */
  public static byte[] readToEnd(Socket socket) throws IOException {
    return socket.getInputStream().readAllBytes();
  }

  /**
   * Reads an HTTP head (request or response) up to and including its blank line, or up to the end
   * of the stream if that comes first; bytes as ISO-8859-1 characters.
   */
  public static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString();
  }

  /** Reads a whole head; the stream ending inside it is an error naming {@code what}. */
  public static String completeHead(InputStream in, String what) throws IOException {
    String head = readHead(in);
    if (!head.endsWith("\r\n\r\n")) {
      throw new IOException("connection closed inside the " + what + " head: " + head);
    }
    return head;
  }
}
