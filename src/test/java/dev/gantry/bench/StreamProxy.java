package dev.gantry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A proxy in front of the stream engine, in a process of its own, as a baseline for what one proxy hop costs
 * streams on the same machine under the same load: nginx {@code proxy_pass} (unbuffered, with kept-alive
 * upstream connections), the least a proxy can do; the bare Vert.x proxy ({@link BareVertxProxy}), the least
 * Gantry's own stack can do. The gateway's added time to first token is read against both.
 */
final class StreamProxy implements AutoCloseable {

  private final Process process;
  private final int port;

  private StreamProxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** nginx with one worker, as the gateway benchmark's nginx. */
  static StreamProxy nginx(String nginx, Path work, int enginePort) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(work.resolve("stream-nginx"));
    Files.createDirectories(dir.resolve("logs"));
    int port = freePort();
    Files.writeString(dir.resolve("nginx.conf"), """
        worker_processes 1;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log warn;
        events { worker_connections 8192; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/temp;
          upstream engine { server 127.0.0.1:%2$d; keepalive 1024; keepalive_requests 10000000; }
          server {
            listen 127.0.0.1:%3$d;
            keepalive_requests 10000000;
            location / {
              proxy_pass http://engine;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering off;
            }
          }
        }
        """.formatted(dir, enginePort, port));
    return start(List.of(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString()), dir, port);
  }

  /** The bare Vert.x proxy, with the node's default heap, from this process's class path. */
  static StreamProxy bareVertx(Path work, int enginePort) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(work.resolve("stream-vertx"));
    int port = freePort();
    Path argFile = Files.writeString(dir.resolve("java.args"),
        "-Xmx1g -cp " + System.getProperty("java.class.path") + "\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return start(List.of(java, "@" + argFile, BareVertxProxy.class.getName(), String.valueOf(port),
        String.valueOf(enginePort)), dir, port);
  }

  private static StreamProxy start(List<String> command, Path dir, int port) throws IOException, InterruptedException {
    Path log = dir.resolve("process.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + "; see " + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new StreamProxy(process, port);
      } catch (IOException notYet) {
        Thread.sleep(50);  // waiting for another process to listen, not a test
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(command.get(0) + " did not listen on " + port + " within 30 s; see " + log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
