package dev.gantry.loadtest;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * The management API under read load: each user lists nodes and models with an API key (scope
 * {@code management} or {@code *}) for the configured duration.
 *
 * <pre>
 * GANTRY_API_KEY=gt-... mvn -f loadtest/pom.xml gatling:test \
 *     -Dgatling.simulationClass=dev.gantry.loadtest.ManagementSimulation -DbaseUrl=http://localhost:8080 -Dusers=8 -Dduration=30
 * </pre>
 */
public class ManagementSimulation extends Simulation {

  // not "http": a field of that name would shadow HttpDsl.http
  private final HttpProtocolBuilder httpProtocol = http.baseUrls(Settings.BASE_URLS)
      .acceptHeader("application/json")
      .authorizationHeader("Bearer " + Settings.apiKey())
      .userAgentHeader("gantry-loadtest");

  private final ScenarioBuilder management = scenario("management")
      .during(Settings.DURATION).on(
          exec(http("GET /v2/nodes").get("/v2/nodes")
                  .check(status().is(200), jsonPath("$.pagination.total").ofInt().gte(1)))
              .pause(Settings.PAUSE)
              .exec(http("GET /v2/models").get("/v2/models")
                  .check(status().is(200), jsonPath("$.pagination.total").ofInt().gte(0)))
              .pause(Settings.PAUSE));

  {
    System.out.println("ManagementSimulation: " + Settings.describe());
    setUp(management.injectOpen(rampUsers(Settings.USERS).during(Settings.RAMP)))
        .protocols(httpProtocol)
        .assertions(global().failedRequests().count().is(0L));
  }
}
