package dev.gantry.common;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's {@code speculative} field: which algorithm drafts tokens for the target model to verify,
 * with its draft model (a file on the nodes, like any model file) and sizes. Each backend translates it
 * into its own options (engine.tuning.EngineTuning); this record checks only what holds for every backend.
 *
 * @param numDraftTokens tokens drafted per step (null: the engine's default)
 * @param ngramMin       smallest n-gram matched in the prompt (ngram only; null: the engine's default)
 * @param ngramMax       largest n-gram matched in the prompt (ngram only; null: the engine's default)
 */
public record SpeculativeSpec(Algorithm algorithm, String draftModel, Integer numDraftTokens, Integer ngramMin,
    Integer ngramMax) {

  static final int MAX_DRAFT_TOKENS = 64;

  /** The algorithms a model may ask for; each backend supports some of them from some version on. */
  public enum Algorithm {
    EAGLE3, EAGLE, MTP, NGRAM, DRAFT_MODEL;

    public String key() {
      return name().toLowerCase();
    }

    /** Whether it drafts with a separate model file ({@code draft_model} is then required). */
    public boolean needsDraftModel() {
      return this == EAGLE3 || this == EAGLE || this == DRAFT_MODEL;
    }
  }

  /** The field as stored, or null when the model has none; throws {@link IllegalArgumentException} for a person. */
  public static SpeculativeSpec of(JsonObject json) {
    if (json == null) {
      return null;
    }
    String name = json.getValue("algorithm") instanceof String s ? s : null;
    Algorithm algorithm = List.of(Algorithm.values()).stream().filter(a -> a.key().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("speculative.algorithm must be one of eagle3, eagle, mtp, ngram,"
            + " draft_model; got '" + json.getValue("algorithm") + "'"));
    String draft = json.getString("draft_model");
    if (algorithm.needsDraftModel() && (draft == null || draft.isBlank())) {
      throw new IllegalArgumentException("speculative.algorithm '" + algorithm.key() + "' needs speculative.draft_model:"
          + " the absolute path of the draft model on the nodes");
    }
    if (!algorithm.needsDraftModel() && draft != null) {
      throw new IllegalArgumentException("speculative.algorithm '" + algorithm.key() + "' drafts without a separate model;"
          + " remove speculative.draft_model (or use draft_model, eagle or eagle3)");
    }
    if (draft != null && !Path.of(draft).isAbsolute()) {
      throw new IllegalArgumentException("speculative.draft_model must be an absolute path on the nodes, got '" + draft + "'");
    }
    Integer tokens = json.getInteger("num_draft_tokens");
    if (tokens != null && (tokens < 1 || tokens > MAX_DRAFT_TOKENS)) {
      throw new IllegalArgumentException("speculative.num_draft_tokens must be between 1 and " + MAX_DRAFT_TOKENS
          + ", got " + tokens);
    }
    Integer min = json.getInteger("ngram_min");
    Integer max = json.getInteger("ngram_max");
    if ((min != null || max != null) && algorithm != Algorithm.NGRAM) {
      throw new IllegalArgumentException("speculative.ngram_min and ngram_max belong to algorithm 'ngram', not '"
          + algorithm.key() + "'");
    }
    if (min != null && min < 1 || max != null && max < 1 || min != null && max != null && min > max) {
      throw new IllegalArgumentException("speculative.ngram_min and ngram_max must be at least 1 with ngram_min <="
          + " ngram_max; got " + min + " and " + max);
    }
    return new SpeculativeSpec(algorithm, draft, tokens, min, max);
  }

  /** Tokens drafted per step: the model's, else {@code fallback} (engines that need a number). */
  public int draftTokensOr(int fallback) {
    return numDraftTokens == null ? fallback : numDraftTokens;
  }
}
