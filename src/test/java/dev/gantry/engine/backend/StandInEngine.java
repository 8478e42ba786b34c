package dev.gantry.engine.backend;

import dev.gantry.engine.builtin.BuiltinEngineMain;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for a GPU engine at a named version, run as its executable by a script in an engines folder:
 * it prints its version the way the real CLI does ({@code vllm --version}, {@code sglang version}), accepts
 * exactly the options that version has (a subset of the real argument definitions: the ones Gantry and the
 * tests use) and fails like argparse on any other ({@code exit 2}, "unrecognized arguments"), requires the
 * key where the real engine finds it ({@code VLLM_API_KEY}; SGLang's {@code api-key} in its {@code --config}
 * file), answers {@code /health} 503 while "loading" (first {@link #LOADING_MS}) for SGLang as the real one
 * does (MindIE: no arguments, its config.json, {@code /v2/health/ready}; {@link StandInMindie}), and serves {@code /v1/models}, {@code /v1/chat/completions} and {@code /metrics} under that version's
 * metric names. Chats get a fixed {@link #REPLY}, or, with a {@code delegate.json} in the engines folder
 * ({@link #delegateTo}), a real engine's answer ({@link StandInDelegation}) whose usage its metrics count.
 * SGLang before {@link #SGLANG_SERVE_SINCE} has no {@code serve} and is installed with a {@code python3}
 * that runs {@code -m sglang.launch_server}.
 *
 * <p>{@code java -cp <test classpath> dev.gantry.engine.backend.StandInEngine vllm 0.11.2 serve /m --host ...}
 */
public final class StandInEngine {

  public static final String REPLY = "Hello from the stand-in engine.";
  /**
   * The first SGLang this stand-in gives a {@code sglang serve} (an assumption: GPUStack ran
   * {@code python -m sglang.launch_server} "for compatibility with older versions"); older ones are
   * installed with a {@code python3} beside them, which Gantry then uses.
   */
  static final String SGLANG_SERVE_SINCE = "0.5.0";
  static final String DELEGATE_PROPERTY = "gantry.standin.delegate";
  static final long LOADING_MS = 300;
  /** The KV-cache usage every stand-in reports, under its version's name. */
  public static final double KV_USAGE = 0.25;
  /** Seconds to first token per chat in the stand-in's histogram. */
  public static final double TTFT = 0.05;
  /** The time per output token every vLLM stand-in reports (seconds). */
  public static final double TPOT = 0.02;

  /** Options with a value, by engine and version (from the real argument definitions; a subset). */
  static Set<String> options(String engine, String version) {
    EngineVersion v = EngineVersion.parse(version);
    List<String> out = new ArrayList<>(List.of("--host", "--port", "--served-model-name", "--api-key"));
    if (engine.equals("vllm")) {
      out.addAll(List.of("--model", "--max-model-len", "--gpu-memory-utilization", "--max-num-seqs"));
      out.addAll(List.of("--kv-transfer-config", "--tensor-parallel-size", "--pipeline-parallel-size",
          "--distributed-executor-backend"));
      if (v.atLeast("0.12.0")) {
        out.addAll(List.of("--nnodes", "--node-rank", "--master-addr", "--master-port"));
      }
      if (v.before("0.8.3")) {
        out.addAll(List.of("--speculative-model", "--num-speculative-tokens", "--ngram-prompt-lookup-max",
            "--ngram-prompt-lookup-min"));
      }
      if (v.atLeast("0.8.0")) {
        out.add("--speculative-config");
      }
      if (v.atLeast("0.11.1")) {
        out.addAll(List.of("--kv-offloading-size", "--kv-offloading-backend"));
      }
    } else {
      out.addAll(List.of("--model-path", "--context-length", "--mem-fraction-static", "--config",
          "--speculative-algorithm", "--speculative-draft-model-path", "--speculative-num-draft-tokens",
          "--hicache-ratio", "--hicache-size", "--page-size", "--hicache-storage-backend", "--tp-size", "--pp-size",
          "--nnodes", "--node-rank", "--dist-init-addr"));
      if (v.atLeast("0.5.3") && v.before("0.5.10")) { // arrived with NGRAM (then LOOKAHEAD), PR #9873
        out.addAll(List.of("--speculative-ngram-min-match-window-size", "--speculative-ngram-max-match-window-size"));
      }
    }
    return Set.copyOf(out);
  }

  /** Options without a value. */
  static Set<String> switches(String engine) {
    return engine.equals("vllm") ? Set.of("--enforce-eager", "--trust-remote-code", "--headless") : Set.of("--enable-metrics",
        "--trust-remote-code", "--disable-radix-cache", "--enable-hierarchical-cache");
  }

  /**
   * The {@code --speculative-config} methods (vLLM) or {@code --speculative-algorithm} choices (SGLang) of a
   * version; vLLM's draft-model form names no method ("").
   */
  static Set<String> speculativeChoices(String engine, String version) {
    EngineVersion v = EngineVersion.parse(version);
    List<String> out = new ArrayList<>();
    if (engine.equals("vllm")) {
      out.addAll(List.of("", "ngram", "eagle", "deepseek_mtp"));
      if (v.atLeast("0.8.5")) {
        out.add("eagle3");
      }
      if (v.atLeast("0.11.0")) { // SpeculativeMethod at v0.11.0 lists "mtp" (PR #25232)
        out.add("mtp");
      }
    } else {
      out.addAll(List.of("EAGLE", "NEXTN"));
      if (v.atLeast("0.4.5")) {
        out.add("EAGLE3");
      }
      if (v.atLeast("0.5.3")) {
        out.addAll(List.of("STANDALONE", "NGRAM"));
      }
    }
    return Set.copyOf(out);
  }

  public static void main(String[] args) throws Exception {
    String engine = args[0];
    String version = args[1];
    List<String> rest = List.of(args).subList(2, args.length);
    if (engine.equals("vllm") && rest.equals(List.of("--version"))) {
      System.out.println("INFO stand-in vllm starting the CLI");
      System.out.println(version);
      return;
    }
    if (engine.equals("sglang") && rest.equals(List.of("version"))) {
      System.out.println("sglang version: " + version);
      System.out.println("git revision: stand-in");
      return;
    }
    if (engine.equals("mindie")) {
      StandInMindie.main(version, rest);
      return;
    }
    if (engine.equals("sglang") && rest.size() > 1 && rest.get(0).equals("-m") && rest.get(1).equals("sglang.launch_server")) {
      rest = rest.subList(1, rest.size()); // python3 -m sglang.launch_server: the same options as serve
    } else if (engine.equals("sglang") && !rest.isEmpty() && rest.get(0).equals("serve")
        && EngineVersion.parse(version).before(SGLANG_SERVE_SINCE)) {
      fail(engine, "invalid choice: 'serve' (choose from 'version')");
    }
    if (rest.isEmpty() || !rest.get(0).equals("serve") && !rest.get(0).equals("sglang.launch_server")) {
      fail(engine, "invalid choice: '" + (rest.isEmpty() ? "" : rest.get(0)) + "' (choose from 'serve')");
    }
    Map<String, String> values = new HashMap<>();
    List<String> positional = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    Set<String> options = options(engine, version);
    for (int i = 1; i < rest.size(); i++) {
      String word = rest.get(i);
      String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
      if (!word.startsWith("--")) {
        positional.add(word);
      } else if (switches(engine).contains(name)) {
        values.put(name, "true");
      } else if (options.contains(name)) {
        values.put(name, word.contains("=") ? word.substring(word.indexOf('=') + 1) : rest.get(++i));
      } else {
        unknown.add(word);
      }
    }
    if (!unknown.isEmpty()) {
      fail(engine, "unrecognized arguments: " + String.join(" ", unknown));
    }
    String method = values.containsKey("--speculative-config")
        ? new JsonObject(values.get("--speculative-config")).getString("method", "") : values.get("--speculative-algorithm");
    if (method != null && !speculativeChoices(engine, version).contains(method)) {
      fail(engine, "invalid speculative method '" + method + "' (choose from " + speculativeChoices(engine, version) + ")");
    }
    String key = engine.equals("vllm") ? System.getenv("VLLM_API_KEY") : keyFrom(values.get("--config"));
    if (values.containsKey("--api-key")) {
      fail(engine, "stand-in refuses --api-key on its command line: the key would be visible to every local user");
    }
    String name = values.getOrDefault("--served-model-name",
        engine.equals("vllm") ? positional.get(0) : values.get("--model-path"));
    BooleanSupplier ready = rendezvous(engine, values);
    serve(engine, version, values.get("--host"), Integer.parseInt(values.get("--port")), name, key, ready);
  }

  /**
   * With {@code --nnodes} above 1: rank 0 waits for the others at the master address (vLLM
   * {@code --master-addr/--master-port}, SGLang {@code --dist-init-addr}) and is ready once all joined; any
   * other rank joins it and serves nothing (vLLM {@code --headless}), so this never returns for them.
   */
  private static BooleanSupplier rendezvous(String engine, Map<String, String> values) throws Exception {
    int nnodes = Integer.parseInt(values.getOrDefault("--nnodes", "1"));
    if (nnodes < 2) {
      return () -> true;
    }
    int rank = Integer.parseInt(values.get("--node-rank"));
    String address = engine.equals("vllm") ? values.get("--master-addr") + ":" + values.get("--master-port")
        : values.get("--dist-init-addr");
    String host = address.substring(0, address.lastIndexOf(':'));
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    if (engine.equals("vllm") && (rank > 0) != values.containsKey("--headless")) {
      fail(engine, "stand-in: rank " + rank + " of a multi-node vllm must " + (rank > 0 ? "" : "not ") + "be --headless");
    }
    if (rank > 0) {
      StandInRendezvous.join(host, port, rank);
    }
    return StandInRendezvous.lead(host, port, nnodes)::complete;
  }

  private static String keyFrom(String config) throws Exception {
    if (config == null) {
      return null;
    }
    for (String line : Files.readAllLines(Path.of(config))) {
      if (line.startsWith("api-key:")) {
        return line.substring("api-key:".length()).trim().replace("\"", "");
      }
    }
    return null;
  }

  private static void fail(String engine, String message) {
    System.err.println("usage: " + engine + " serve [options]");
    System.err.println(engine + ": error: " + message);
    System.exit(2);
  }

  static void serve(String engine, String version, String host, int port, String name, String key,
      BooleanSupplier ready) {
    long started = System.currentTimeMillis();
    Counters counters = new Counters();
    Vertx vertx = BuiltinEngineMain.withoutFileCache();
    vertx.createHttpServer().requestHandler(request -> {
      String path = request.path();
      if (path.equals("/v2/health/ready")) {
        request.response().setStatusCode(engine.equals("mindie") ? 200 : 404).end();
      } else if (path.equals("/health")) {
        boolean loading = engine.equals("sglang") && System.currentTimeMillis() - started < LOADING_MS
            || !ready.getAsBoolean();
        request.response().setStatusCode(loading ? 503 : 200).end();
      } else if (path.equals("/metrics")) {
        request.response().putHeader("Content-Type", "text/plain").end(metrics(engine, version, name, counters));
      } else if (key != null && !("Bearer " + key).equals(request.getHeader("Authorization"))) {
        request.response().setStatusCode(401).end("{\"error\":\"Unauthorized\"}");
      } else if (path.equals("/v1/models")) {
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("object", "list")
            .put("data", new JsonArray().add(new JsonObject().put("id", name).put("object", "model")
                .put("owned_by", engine))).encode());
      } else if (path.equals("/v1/chat/completions")) {
        chat(request, name, counters);
      } else {
        request.response().setStatusCode(404).end();
      }
    }).listen(port, host).await();
    System.out.println("stand-in " + engine + " " + version + " serving " + name + " on " + host + ":" + port);
  }

  private static void chat(HttpServerRequest request, String name, Counters counters) {
    request.body().onSuccess(raw -> {
      JsonObject body = raw.toJsonObject();
      if (!name.equals(body.getString("model"))) {
        request.response().setStatusCode(404).end("{\"error\":{\"message\":\"The model `" + body.getString("model")
            + "` does not exist.\"}}");
        return;
      }
      JsonObject delegate = delegate();
      if (delegate != null) {
        StandInDelegation.forward(request, body, delegate, name, counters);
        return;
      }
      counters.count(7, 6);
      JsonObject answer = new JsonObject().put("id", "chatcmpl-standin").put("object", "chat.completion")
          .put("created", System.currentTimeMillis() / 1000).put("model", name)
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
              .put("message", new JsonObject().put("role", "assistant").put("content", REPLY))))
          .put("usage", new JsonObject().put("prompt_tokens", 7).put("completion_tokens", 6).put("total_tokens", 13));
      request.response().putHeader("Content-Type", "application/json").end(answer.encode());
    });
  }

  /**
   * The real engine to delegate generation to: {@code {"url", "model"}} from the {@code delegate.json} in the
   * engines folder this stand-in was installed into (see {@link #delegateTo}); null when there is none.
   */
  private static JsonObject delegate() {
    String file = System.getProperty(DELEGATE_PROPERTY);
    try {
      return file == null || !Files.exists(Path.of(file)) ? null : new JsonObject(Files.readString(Path.of(file)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Makes every stand-in installed in {@code engines} answer chats by forwarding them to the OpenAI-compatible
   * engine at {@code url} serving {@code model} (renamed both ways), counting its real usage in its metrics.
   */
  public static void delegateTo(Path engines, String url, String model) throws Exception {
    Files.createDirectories(engines);
    Files.writeString(engines.resolve("delegate.json"), new JsonObject().put("url", url).put("model", model).encode());
  }

  /** The version's own metric names (vLLM's KV-usage gauge was renamed in 0.9.2). */
  static String metrics(String engine, String version, String name, Counters counters) {
    String label = "{model_name=\"" + name + "\"}";
    long requests = counters.requests.get();
    long prompts = counters.prompts.get();
    long generated = counters.generated.get();
    if (engine.equals("mindie")) {
      return "num_requests_running" + label + " 0\nnum_requests_waiting" + label + " 0\nnpu_cache_usage_perc" + label
          + " " + KV_USAGE + "\nprompt_tokens_total" + label + " " + prompts + "\ngeneration_tokens_total" + label + " "
          + generated + "\ntime_to_first_token_seconds_sum" + label + " " + requests * TTFT
          + "\ntime_to_first_token_seconds_count" + label + " " + requests + "\n";
    }
    if (engine.equals("vllm")) {
      String kv = EngineVersion.parse(version).before("0.9.2") ? "vllm:gpu_cache_usage_perc" : "vllm:kv_cache_usage_perc";
      String tpot = EngineVersion.parse(version).before("0.11.0") ? "vllm:time_per_output_token_seconds"
          : "vllm:request_time_per_output_token_seconds";
      return "# HELP vllm:num_requests_running Number of requests in model execution batches.\n"
          + "# TYPE vllm:num_requests_running gauge\n"
          + "vllm:num_requests_running" + label + " 0.0\nvllm:num_requests_waiting" + label + " 0.0\n" + kv + label
          + " " + KV_USAGE + "\nvllm:prompt_tokens_total" + label + " " + prompts + "\nvllm:generation_tokens_total" + label
          + " " + generated + "\nvllm:time_to_first_token_seconds_bucket{model_name=\"" + name + "\",le=\"+Inf\"} "
          + requests + "\nvllm:time_to_first_token_seconds_sum" + label + " " + requests * TTFT
          + "\nvllm:time_to_first_token_seconds_count" + label + " " + requests
          + "\n" + tpot + "_sum" + label + " " + generated * TPOT + "\n" + tpot + "_count" + label + " " + generated
          + "\nvllm:spec_decode_num_accepted_tokens_total" + label + " " + generated / 2
          + "\nvllm:spec_decode_num_draft_tokens_total" + label + " " + generated + "\n";
    }
    // SGLang's per-token latency was time_per_output_token_seconds up to 0.4.4
    String tpot = EngineVersion.parse(version).before("0.4.5") ? "sglang:time_per_output_token_seconds"
        : "sglang:inter_token_latency_seconds";
    return "sglang:num_running_reqs" + label + " 0\nsglang:num_queue_reqs" + label + " 0\nsglang:token_usage" + label
        + " " + KV_USAGE + "\nsglang:prompt_tokens_total" + label + " " + prompts + "\nsglang:generation_tokens_total" + label + " "
        + generated + "\n" + tpot + "_sum" + label + " " + generated * TPOT + "\n" + tpot + "_count" + label + " " + generated
        + "\n";
  }

  /** What a stand-in served: requests, prompt and generated tokens (its own or its delegate's usage). */
  static final class Counters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong prompts = new AtomicLong();
    final AtomicLong generated = new AtomicLong();

    void count(long promptTokens, long generatedTokens) {
      requests.incrementAndGet();
      prompts.addAndGet(promptTokens);
      generated.addAndGet(generatedTokens);
    }
  }

  /**
   * Writes {@code <engines>/<engine>/<version>/bin/<engine>}: a script that runs this class with the test
   * classpath; answers the executable.
   */
  public static Path install(Path engines, String engine, String version) throws Exception {
    return install(engines, engine, version, System.getProperty("java.class.path"));
  }

  /**
   * As {@link #install(Path, String, String)} for engines that node processes ({@code GantryProcess}) start:
   * the stand-in runs from the test classes and the built jar rather than the test JVM's classpath.
   */
  public static Path installForProcesses(Path engines, String engine, String version) throws Exception {
    Path testClasses = Path.of(StandInEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return install(engines, engine, version, testClasses + java.io.File.pathSeparator
        + dev.gantry.testing.GantryProcess.jar().toAbsolutePath());
  }

  /**
   * As {@link #install(Path, String, String)}, running this class with {@code classpath} (for a node process
   * started by a failsafe IT: the test classes and the built jar).
   */
  public static Path install(Path engines, String engine, String version, String classpath) throws Exception {
    Path bin = Files.createDirectories(engines.resolve(engine).resolve(version).resolve("bin"));
    Path script = bin.resolve(engine.equals("mindie") ? "mindieservice_daemon" : engine);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path argsFile = bin.resolve("java.args");
    Files.writeString(argsFile, "-Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -D" + DELEGATE_PROPERTY + "="
        + engines.toAbsolutePath().resolve("delegate.json") + " -cp "
        + classpath + " " + StandInEngine.class.getName() + " " + engine + " " + version + "\n");
    Files.writeString(script, "#!/bin/sh\nexec '" + java + "' @'" + argsFile + "' \"$@\"\n");
    script.toFile().setExecutable(true);
    if (engine.equals("sglang") && EngineVersion.parse(version).before(SGLANG_SERVE_SINCE)) {
      Path python = bin.resolve("python3");
      Files.writeString(python, "#!/bin/sh\nexec '" + java + "' @'" + argsFile + "' \"$@\"\n");
      python.toFile().setExecutable(true);
    }
    return script;
  }
}
