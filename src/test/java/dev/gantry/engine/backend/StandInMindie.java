package dev.gantry.engine.backend;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The MindIE side of {@link StandInEngine}: {@code mindieservice_daemon} takes no arguments and reads everything
 * from the config.json named by {@code MIES_CONFIG_JSON_PATH}, started in its own {@code bin/} folder; HTTPS must
 * be off for this stand-in to answer.
 *
 * <p>With {@code BackendConfig.multiNodesInferEnabled} it is one server of a replica over several nodes, as the
 * real daemon is: it reads the rank table ({@code RANK_TABLE_FILE}), finds its own server by
 * {@code MIES_CONTAINER_IP} (and refuses to start when that address names no server, or several), and takes that
 * server's position as its rank. Rank 0 listens on its {@code container_ip} at {@code multiNodesInferPort}
 * ({@link StandInRendezvous}) and serves HTTP only once every other server joined; any other rank joins the first
 * server's {@code container_ip} from its own address and serves nothing.
 */
final class StandInMindie {

  private StandInMindie() {
  }

  static void main(String version, List<String> rest) throws Exception {
    if (!rest.isEmpty()) {
      exit(2, "mindieservice_daemon takes no arguments, got " + rest);
    }
    if (!Path.of("").toAbsolutePath().endsWith("bin")) {
      exit(1, "mindieservice_daemon must run in its bin/ folder, not " + Path.of("").toAbsolutePath());
    }
    JsonObject config = new JsonObject(Files.readString(Path.of(System.getenv("MIES_CONFIG_JSON_PATH"))));
    JsonObject server = config.getJsonObject("ServerConfig");
    if (server.getBoolean("httpsEnabled", true)) {
      exit(1, "stand-in MindIE " + version + " serves plain HTTP only: set httpsEnabled false");
    }
    JsonObject backend = config.getJsonObject("BackendConfig");
    JsonObject model = backend.getJsonObject("ModelDeployConfig").getJsonArray("ModelConfig").getJsonObject(0);
    String name = model.getString("modelName");
    if (name == null || model.getString("modelWeightPath") == null) {
      exit(1, "stand-in MindIE " + version + ": ModelConfig[0] needs modelName and modelWeightPath");
    }
    String plugins = model.getString("plugin_params");
    int mtpTokens = plugins == null ? 0 : new JsonObject(plugins).getInteger("num_speculative_tokens", 0);
    if (mtpTokens > (EngineVersion.parse(version).before("2.2.RC1") ? 1 : 2)) {
      exit(1, "stand-in MindIE " + version + ": num_speculative_tokens " + mtpTokens + " is out of range");
    }
    if (backend.getBoolean("multiNodesInferEnabled", false)) {
      rendezvous(version, backend.getInteger("multiNodesInferPort"));
    }
    StandInEngine.serve("mindie", version, server.getString("ipAddress"), server.getInteger("port"), name, null,
        () -> true);
  }

  /**
   * Multi-node inference: returns (on rank 0) once every other server joined; on any other rank it joins the
   * first server and never returns.
   */
  private static void rendezvous(String version, Integer port) throws Exception {
    String own = System.getenv("MIES_CONTAINER_IP");
    String tableFile = System.getenv("RANK_TABLE_FILE");
    if (port == null || tableFile == null || own == null) {
      exit(1, "stand-in MindIE " + version + ": multiNodesInferEnabled needs multiNodesInferPort in config.json and "
          + "RANK_TABLE_FILE and MIES_CONTAINER_IP in the environment (got " + port + ", " + tableFile + ", " + own + ")");
    }
    JsonArray servers = new JsonObject(Files.readString(Path.of(tableFile))).getJsonArray("server_list");
    List<Integer> mine = IntStream.range(0, servers.size())
        .filter(i -> own.equals(servers.getJsonObject(i).getString("container_ip"))).boxed().toList();
    if (mine.size() != 1) {
      exit(1, "stand-in MindIE " + version + ": MIES_CONTAINER_IP " + own + " names " + mine.size() + " servers of the "
          + "rank table " + tableFile + " (container_ip of each: " + servers.stream().map(JsonObject.class::cast)
          .map(s -> s.getString("container_ip")).toList() + "); each node needs exactly one address of its own");
    }
    int rank = mine.get(0);
    String leader = servers.getJsonObject(0).getString("container_ip");
    System.out.println("stand-in MindIE " + version + ": server " + own + " is rank " + rank + " of " + servers.size());
    if (rank > 0) {
      StandInRendezvous.join(leader, port, rank, own);
    }
    if (!StandInRendezvous.lead(leader, port, servers.size()).awaitComplete()) {
      exit(1, "stand-in MindIE " + version + ": not every server of the rank table joined " + leader + ":" + port
          + " within " + StandInRendezvous.JOIN_DEADLINE_MS + " ms");
    }
  }

  private static void exit(int code, String message) {
    System.err.println(message);
    System.exit(code);
  }
}
