package dev.gantry.engine.builtin;

/**
 * The engine's command-line settings.
 *
 * @param ctxSize context length in tokens for GGUF models; 0 means the model's own, at most 4096
 * @param threads CPU threads for inference; 0 lets the runtime decide
 * @param apiKey the bearer key required on {@code /v1/*}, or null for none
 * @param embeddings load a GGUF model for {@code /v1/embeddings} instead of generation
 * @param verbose keep llama.cpp's own log
 * @param tokenDelayMs a pause before each generated token (0: none): a slower engine on purpose, for demos and
 *     for tuning runs that must see candidates differ
 */
record EngineConfig(
    String model, String host, int port, String modelName, int ctxSize, int threads, String apiKey,
    boolean embeddings, boolean verbose, int tokenDelayMs) {}
