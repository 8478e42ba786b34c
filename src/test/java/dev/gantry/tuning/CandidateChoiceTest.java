package dev.gantry.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.catalog.CandidateGrid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tuning: grids expand into bounded candidates, the SLA-meeting fastest wins, the hardware filter is the winner's")
class CandidateChoiceTest {

  @Test
  void aGridExpandsIntoEveryCombinationAndAppliesToTheBase() {
    JsonObject grid = new JsonObject().put("backend_parameters", new JsonArray().add(new JsonArray().add("--ctx-size").add("2048"))
        .add(new JsonArray().add("--ctx-size").add("4096"))).put("replicas", new JsonArray().add(1).add(2));

    List<JsonObject> candidates = CandidateGrid.candidates(grid);

    assertThat(candidates).hasSize(4);
    assertThat(candidates.get(1)).isEqualTo(new JsonObject().put("backend_parameters", new JsonArray().add("--ctx-size").add("2048"))
        .put("replicas", 2));
    JsonObject base = new JsonObject().put("backend", "llama.cpp").put("backend_parameters", new JsonArray().add("--jinja"))
        .put("env", new JsonObject().put("A", "1"));
    JsonObject model = CandidateGrid.apply(base, candidates.get(3).copy().put("env", new JsonObject().put("B", "2")));
    assertThat(model.getJsonArray("backend_parameters")).containsExactly("--jinja", "--ctx-size", "4096");
    assertThat(model.getInteger("replicas")).isEqualTo(2);
    assertThat(model.getJsonObject("env")).isEqualTo(new JsonObject().put("A", "1").put("B", "2"));
    assertThat(base.getJsonArray("backend_parameters")).containsExactly("--jinja");
  }

  @Test
  void aGridTooLargeOrMalformedIsRefusedNamingTheField() {
    JsonArray three = new JsonArray().add(1).add(2).add(3);
    assertThatThrownBy(() -> CandidateGrid.candidates(new JsonObject().put("replicas", three).put("context_length", three)))
        .hasMessageContaining("9 candidates").hasMessageContaining("at most 8");
    assertThatThrownBy(() -> CandidateGrid.candidates(new JsonObject().put("source", three))).hasMessageContaining("grid.source");
    assertThatThrownBy(() -> CandidateGrid.candidates(new JsonObject().put("replicas", new JsonArray())))
        .hasMessageContaining("non-empty");
    assertThatThrownBy(() -> CandidateGrid.candidates(new JsonObject().put("backend_parameters", new JsonArray().add("--x"))))
        .hasMessageContaining("list of strings");
    assertThatThrownBy(() -> CandidateGrid.candidates(new JsonObject())).hasMessageContaining("at least one field");
  }

  @Test
  void meetingTheSlaBeatsThroughputAndUnmeasuredCandidatesNeverWin() {
    JsonObject fastMiss = candidate(false, 900, 100);
    JsonObject slowMeet = candidate(true, 300, 200);
    JsonObject fasterMeet = candidate(true, 400, 250);
    JsonObject failed = new JsonObject().put("state", "failed");
    JsonObject allErrors = candidate(true, 0, 0).put("figures", new JsonObject().put("requests", 5).put("failed", 5));

    assertThat(CandidateScore.winner(List.of(fastMiss, slowMeet, failed))).isEqualTo(1);
    assertThat(CandidateScore.winner(List.of(fastMiss, slowMeet, fasterMeet))).isEqualTo(2);
    assertThat(CandidateScore.winner(List.of(fastMiss, failed))).isEqualTo(0);
    assertThat(CandidateScore.winner(List.of(failed, allErrors))).isEqualTo(-1);
    assertThat(CandidateScore.winner(List.of(candidate(true, 300, 200), candidate(true, 300, 150)))).isEqualTo(1);
  }

  @Test
  void figuresComeFromTheBenchmarkResults() {
    JsonObject results = new JsonObject().put("requests", 10).put("failed", 1).put("output_token_throughput", 42.5)
        .put("request_throughput", 3.0).put("ttft_ms", new JsonObject().put("p95", 120.0))
        .put("sla", new JsonObject().put("met", false));

    JsonObject figures = CandidateScore.figures(results);

    assertThat(figures.getBoolean("sla_met")).isFalse();
    assertThat(figures.getDouble("ttft_p95_ms")).isEqualTo(120.0);
    assertThat(figures.getValue("tpot_p95_ms")).isNull();
    assertThat(figures.getInteger("failed")).isEqualTo(1);
  }

  @Test
  void theHardwareFilterIsWhatTheWinnerRanOn() {
    JsonObject gpus = new JsonObject().put("nodes", new JsonArray().add(new JsonObject().put("node", "n1")
        .put("devices", new JsonArray()
            .add(new JsonObject().put("vendor", "NVIDIA").put("name", "NVIDIA L40S").put("memory_total", 48L << 30))
            .add(new JsonObject().put("vendor", "NVIDIA").put("name", "NVIDIA L40S").put("memory_total", (46L << 30) + 5)))));

    JsonObject filter = MeasuredHardware.filter(gpus, new JsonObject().put("backend", "vllm").put("devices_per_replica", 2));

    assertThat(filter).isEqualTo(new JsonObject().put("vendor", "nvidia").put("device_count", 2)
        .put("min_device_memory_gib", 46.0).put("device_name", "NVIDIA L40S"));
    assertThat(MeasuredHardware.specId("qwen3-8b-vllm", filter)).isEqualTo("measured-qwen3-8b-vllm-nvidia-nvidia-l40s");
    assertThat(MeasuredHardware.filter(gpus, new JsonObject().put("backend", "builtin"))).isEqualTo(new JsonObject().put("vendor", "cpu"));
    assertThat(MeasuredHardware.filter(new JsonObject().put("nodes", new JsonArray()), new JsonObject().put("backend", "llama.cpp")))
        .isEqualTo(new JsonObject().put("vendor", "cpu"));
    assertThat(MeasuredHardware.specId(null, new JsonObject().put("vendor", "cpu"))).isEqualTo("measured-cpu");
  }

  private static JsonObject candidate(boolean slaMet, double throughput, double ttft) {
    return new JsonObject().put("state", "measured").put("figures", new JsonObject().put("sla_met", slaMet)
        .put("output_token_throughput", throughput).put("ttft_p95_ms", ttft).put("requests", 10).put("failed", 0));
  }
}
