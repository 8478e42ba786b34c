package dev.gantry.scheduler.autoscale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * An engine that takes its time: every chat completion is answered after {@link #DELAY_MS}, so that requests
 * pile up in flight under a modest load and the autoscaler has something to react to. JDK only (starts in
 * well under a second), run by a {@code custom} model's {@code run_command}:
 * {@code java -cp <test classes> dev.gantry.scheduler.autoscale.SlowEngine <host> <port> <model name>}.
 * Streams when asked ({@code "stream": true}), answers {@code /health} and {@code /v1/models}.
 */
public final class SlowEngine {

  static final String REPLY = "Hello from the slow engine.";
  static final long DELAY_MS = 400;

  public static void main(String[] args) throws IOException {
    String model = args[2];
    HttpServer server = HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 64);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/health", exchange -> send(exchange, 200, "application/json", "{\"status\":\"ok\"}"));
    server.createContext("/v1/models", exchange -> send(exchange, 200, "application/json",
        "{\"object\":\"list\",\"data\":[{\"id\":\"" + model + "\",\"object\":\"model\"}]}"));
    server.createContext("/v1/chat/completions", exchange -> chat(exchange, model));
    server.start();
  }

  private static void chat(HttpExchange exchange, String model) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    try {
      Thread.sleep(DELAY_MS);  // the point of this engine: a slow answer, in its own thread
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String usage = "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":6,\"total_tokens\":9}";
    if (body.replace(" ", "").contains("\"stream\":true")) {
      String chunk = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
          + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + REPLY
          + "\"},\"finish_reason\":null}]}";
      String last = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
          + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]," + usage + "}";
      send(exchange, 200, "text/event-stream", "data: " + chunk + "\n\ndata: " + last + "\n\ndata: [DONE]\n\n");
      return;
    }
    send(exchange, 200, "application/json", "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"" + model
        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + REPLY
        + "\"},\"finish_reason\":\"stop\"}]," + usage + "}");
  }

  private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private SlowEngine() {
  }
}
