package dev.gantry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * nginx {@code proxy_pass} in front of the stream engine, unbuffered, with kept-alive upstream connections: the
 * baseline for what one proxy hop costs streams on the same machine under the same load, so that the gateway's
 * added time to first token can be read against a proxy that does nothing else.
 */
final class NginxStreamProxy implements AutoCloseable {

  private final Process process;
  private final int port;

  private NginxStreamProxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts {@code nginx} (one worker, as the gateway benchmark's nginx) and answers once it listens. */
  static NginxStreamProxy start(String nginx, Path work, int enginePort) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(work.resolve("stream-proxy"));
    Files.createDirectories(dir.resolve("logs"));
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
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
    Process process = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited with " + process.exitValue() + "; see " + dir.resolve("logs"));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new NginxStreamProxy(process, port);
      } catch (IOException notYet) {
        Thread.sleep(50);  // waiting for another process to listen, not a test
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("nginx did not listen on " + port + " within 10 s; see " + dir.resolve("logs"));
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
