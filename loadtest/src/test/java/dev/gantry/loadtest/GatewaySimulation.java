package dev.gantry.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.headerRegex;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI-compatible gateway under load: {@code POST /v1/chat/completions}, answered whole
 * ({@code "stream": false}) and streamed as server-sent events ({@code "stream": true}, checked to end
 * with {@code data: [DONE]}). A streamed request's response time is the time to the last event; the
 * time to the first token is in the node's {@code gantry_gateway_ttft_seconds} metric.
 *
 * <p>Properties besides those of {@link Settings}: {@code model} (the route or model name to call,
 * default {@code qwen}), {@code mode} ({@code both}, {@code plain} or {@code stream}; default both: one
 * scenario of each, {@code users} users each), {@code maxTokens} (default 32), {@code prompt}.
 *
 * <pre>
 * GANTRY_API_KEY=gt-... mvn -f loadtest/pom.xml gatling:test \
 *     -Dgatling.simulationClass=dev.gantry.loadtest.GatewaySimulation -DbaseUrl=http://localhost:8080 -Dmodel=qwen
 * </pre>
 */
public class GatewaySimulation extends Simulation {

  private static final String MODEL = System.getProperty("model", "qwen");
  private static final String MODE = System.getProperty("mode", "both");
  private static final int MAX_TOKENS = Integer.getInteger("maxTokens", 32);
  private static final String PROMPT = System.getProperty("prompt", "Say hello in one short sentence.");

  // not "http": a field of that name would shadow HttpDsl.http
  private final HttpProtocolBuilder httpProtocol = http.baseUrls(Settings.BASE_URLS)
      .authorizationHeader("Bearer " + Settings.apiKey())
      .contentTypeHeader("application/json")
      .userAgentHeader("gantry-loadtest");

  private final ScenarioBuilder plain = scenario("chat")
      .during(Settings.DURATION).on(
          exec(http("chat completion").post("/v1/chat/completions")
                  .body(StringBody(body(false)))
                  .check(status().is(200),
                      jsonPath("$.choices[0].message").exists(),
                      jsonPath("$.usage.completion_tokens").ofInt().gte(0)))
              .pause(Settings.PAUSE));

  private final ScenarioBuilder streamed = scenario("chat streamed")
      .during(Settings.DURATION).on(
          exec(http("chat completion streamed").post("/v1/chat/completions")
                  .header("Accept", "text/event-stream")
                  .body(StringBody(body(true)))
                  .check(status().is(200),
                      headerRegex("Content-Type", "text/event-stream").exists(),
                      regex("data: *\\{").exists(),
                      bodyString().transform(GatewaySimulation::endsWithDone).is(true).name("stream ends with data: [DONE]")))
              .pause(Settings.PAUSE));

  {
    System.out.println("GatewaySimulation: " + Settings.describe() + " model=" + MODEL + " mode=" + MODE
        + " maxTokens=" + MAX_TOKENS);
    List<PopulationBuilder> populations = new ArrayList<>();
    if (!MODE.equals("stream")) {
      populations.add(plain.injectOpen(rampUsers(Settings.USERS).during(Settings.RAMP)));
    }
    if (!MODE.equals("plain")) {
      populations.add(streamed.injectOpen(rampUsers(Settings.USERS).during(Settings.RAMP)));
    }
    if (!List.of("both", "plain", "stream").contains(MODE)) {
      throw new IllegalArgumentException("-Dmode must be both, plain or stream, got '" + MODE + "'");
    }
    setUp(populations)
        .protocols(httpProtocol)
        .assertions(global().failedRequests().count().is(0L));
  }

  private static String body(boolean stream) {
    String json = "{\"model\":" + quote(MODEL)
        + ",\"messages\":[{\"role\":\"user\",\"content\":" + quote(PROMPT) + "}]"
        + ",\"max_tokens\":" + MAX_TOKENS
        + ",\"stream\":" + stream;
    return stream ? json + ",\"stream_options\":{\"include_usage\":true}}" : json + "}";
  }

  /** The last SSE event of an OpenAI stream is {@code data: [DONE]}. */
  private static boolean endsWithDone(String body) {
    return body != null && body.stripTrailing().endsWith("data: [DONE]");
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
