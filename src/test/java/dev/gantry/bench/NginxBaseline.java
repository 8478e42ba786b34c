package dev.gantry.bench;

import dev.gantry.testing.TestFiles;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * nginx {@code proxy_pass} to the same engine, as the throughput baseline (when nginx is installed):
 * keep-alive to the engine, no buffering (streams pass through), no access log, one worker per core.
 */
final class NginxBaseline implements AutoCloseable {

  private final Process process;
  private final Path dir;

  private NginxBaseline(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /** Starts nginx on {@code port} in front of the engine; null when there is no nginx binary. */
  static NginxBaseline start(int port, int enginePort, String authorization) throws IOException, InterruptedException {
    Path binary = Path.of("/usr/sbin/nginx");
    if (!Files.isExecutable(binary)) {
      return null;
    }
    Path dir = Files.createTempDirectory("gantry-bench-nginx-");
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("nginx.conf"), """
        worker_processes auto;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log warn;
        events { worker_connections 8192; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          upstream engine { server 127.0.0.1:%2$d; keepalive 1024; keepalive_requests 10000000; }
          server {
            listen 127.0.0.1:%3$d;
            keepalive_requests 10000000;
            location / {
              proxy_pass http://engine;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Authorization "%4$s";
              proxy_buffering off;
            }
          }
        }
        """.formatted(dir, enginePort, port, authorization));
    Process process = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return new NginxBaseline(process, dir);
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    process.destroyForcibly();
    throw new IOException("nginx did not start; see " + dir.resolve("logs"));
  }

  /** CPU time nginx (master and workers) has used, from /proc (10 ms resolution). */
  long cpuNanos() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .mapToLong(NginxBaseline::cpuNanos).sum();
  }

  private static long cpuNanos(ProcessHandle handle) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(handle.pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    TestFiles.deleteRecursively(dir);
  }
}
