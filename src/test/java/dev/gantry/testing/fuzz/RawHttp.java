package dev.gantry.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client that sends exactly what it is given (paths with bad percent escapes, any or no
 * content type) over one kept-alive connection. A streaming answer (SSE, a followed log) counts as
 * answered once its headers arrive; the connection is then dropped.
 */
public final class RawHttp implements AutoCloseable {

  /** An answer; {@code streaming} when the server kept the body open. */
  public record Answer(int status, Map<String, String> headers, String body, boolean streaming) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static final int HEADER_TIMEOUT_MS = 20_000;
  private static final int STREAM_GRACE_MS = 1_500;
  private static final int MAX_BODY = 1 << 20;

  private final String host;
  private final int port;
  private Socket socket;

  public RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  public Answer send(String method, String target, Map<String, String> headers, String contentType, byte[] body)
      throws IOException {
    try {
      return exchange(method, target, headers, contentType, body);
    } catch (SocketTimeoutException noAnswer) {
      close();
      throw noAnswer;
    } catch (IOException first) {
      close();
      return exchange(method, target, headers, contentType, body);
    }
  }

  private Answer exchange(String method, String target, Map<String, String> headers, String contentType, byte[] body)
      throws IOException {
    if (socket == null || socket.isClosed()) {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
    }
    socket.setSoTimeout(HEADER_TIMEOUT_MS);
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(':').append(port).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      try {
        out.write(body);
      } catch (IOException refusedMidway) {
        // the server may answer (413) and close before it read everything; the answer is still there
      }
    }
    out.flush();
    InputStream in = socket.getInputStream();
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> answerHeaders = new LinkedHashMap<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      answerHeaders.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
    Answer answer = body(in, status, answerHeaders, method);
    if (answer.streaming() || "close".equalsIgnoreCase(answerHeaders.get("connection"))) {
      close();
    }
    return answer;
  }

  private Answer body(InputStream in, int status, Map<String, String> headers, String method) throws IOException {
    String type = headers.getOrDefault("content-type", "");
    if (type.startsWith("text/event-stream")) {
      return new Answer(status, headers, "", true);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("HEAD".equals(method) || status == 204 || status == 304) {
      return new Answer(status, headers, "", false);
    }
    String length = headers.get("content-length");
    try {
      if (length != null) {
        body.write(in.readNBytes(Integer.parseInt(length)));
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        socket.setSoTimeout(STREAM_GRACE_MS);
        for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16); size > 0;
            size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
          body.write(in.readNBytes(Math.min(size, MAX_BODY)));
          line(in);
        }
        line(in);
      } else {
        body.write(in.readAllBytes());
        close();
      }
    } catch (SocketTimeoutException stillOpen) {
      return new Answer(status, headers, body.toString(StandardCharsets.UTF_8), true);
    }
    return new Answer(status, headers, body.toString(StandardCharsets.UTF_8), false);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed by the server");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
      socket = null;
    }
  }
}
