package dev.gantry.node;

import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.engine.backend.EngineBackend;
import dev.gantry.engine.backend.EngineBackends;
import dev.gantry.engine.backend.EngineVersion;
import dev.gantry.engine.backend.Flag;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /v2/inference-backends}: every backend, the nodes that can start it, and for the versioned
 * engines (vllm, sglang, mindie) each version some node has, on which nodes, and the version-dependent
 * options that version accepts and refuses.
 */
public final class InferenceBackendRoutes {

  static final List<String> PLAIN = List.of("builtin", "llama.cpp", "custom");

  private final LiveNodes nodes;

  public InferenceBackendRoutes(LiveNodes nodes) {
    this.nodes = nodes;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/inference-backends")).respond(ctx -> list());
  }

  private Future<JsonObject> list() {
    return nodes.all().map(InferenceBackendRoutes::describe);
  }

  static JsonObject describe(List<NodeRecord> records) {
    JsonArray items = new JsonArray();
    for (String name : PLAIN) {
      items.add(new JsonObject().put("backend", name).put("versioned", false).put("nodes", nodesWith(records, name))
          .put("versions", new JsonArray()));
    }
    for (EngineBackend backend : EngineBackends.ALL) {
      Map<String, TreeSet<String>> byVersion = new TreeMap<>();
      for (NodeRecord node : records) {
        if (node.engines() != null) {
          node.engines().stream().map(JsonObject.class::cast).filter(e -> backend.name().equals(e.getString("backend")))
              .forEach(e -> byVersion.computeIfAbsent(e.getString("version"), v -> new TreeSet<>()).add(node.name()));
        }
      }
      List<String> ordered = new ArrayList<>(byVersion.keySet());
      ordered.sort(Comparator.comparing(EngineVersion::parse, Comparator.reverseOrder()));
      JsonArray versions = new JsonArray();
      ordered.forEach(v -> versions.add(version(backend, v, byVersion.get(v))));
      items.add(new JsonObject().put("backend", backend.name()).put("versioned", true)
          .put("nodes", nodesWith(records, backend.name())).put("executable", backend.executableName())
          .put("owned_parameters", new JsonArray(backend.owned())).put("metrics_path", backend.metricsPath())
          .put("versions", versions));
    }
    return new JsonObject().put("items", items);
  }

  private static JsonObject version(EngineBackend backend, String version, TreeSet<String> on) {
    EngineVersion parsed = EngineVersion.parse(version);
    JsonArray accepted = new JsonArray();
    JsonArray refused = new JsonArray();
    for (Flag flag : backend.flags()) {
      for (String name : flag.names()) {
        JsonObject entry = new JsonObject().put("name", name).put("versions", flag.range());
        if (flag.existsIn(parsed)) {
          accepted.add(entry);
        } else {
          refused.add(flag.replacement() == null ? entry : entry.put("replacement", flag.replacement()));
        }
      }
    }
    return new JsonObject().put("version", version).put("nodes", new JsonArray(List.copyOf(on)))
        .put("parameters", accepted).put("refused_parameters", refused);
  }

  private static JsonArray nodesWith(List<NodeRecord> records, String backend) {
    return new JsonArray(records.stream().filter(n -> n.backends() != null && n.backends().contains(backend))
        .map(NodeRecord::name).sorted().toList());
  }
}
