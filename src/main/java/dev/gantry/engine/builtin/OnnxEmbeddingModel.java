package dev.gantry.engine.builtin;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BERT-style sentence embedding model run by ONNX Runtime: inputs {@code input_ids},
 * {@code attention_mask} and (when the graph has it) {@code token_type_ids}, int64 [batch, seq];
 * output {@code last_hidden_state} [batch, seq, dim], mean-pooled over the attention mask and
 * L2-normalised. Safe to call from several threads at once.
 */
final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {

  private static final String OUTPUT = "last_hidden_state";
  private static final int BATCH = 32;

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final BertTokenizer tokenizer;
  private final boolean takesTokenTypes;
  private final int dimension;

  private OnnxEmbeddingModel(OrtEnvironment environment, OrtSession session, BertTokenizer tokenizer)
      throws OrtException {
    this.environment = environment;
    this.session = session;
    this.tokenizer = tokenizer;
    Map<String, NodeInfo> inputs = session.getInputInfo();
    for (String required : List.of("input_ids", "attention_mask")) {
      if (!inputs.containsKey(required)) {
        throw new IllegalArgumentException("model has no '" + required + "' input (inputs: " + inputs.keySet() + ")");
      }
    }
    takesTokenTypes = inputs.containsKey("token_type_ids");
    NodeInfo output = session.getOutputInfo().get(OUTPUT);
    if (output == null) {
      throw new IllegalArgumentException(
          "model has no '" + OUTPUT + "' output (outputs: " + session.getOutputNames() + ")");
    }
    long[] shape = ((TensorInfo) output.getInfo()).getShape();
    dimension = (int) shape[shape.length - 1];
  }

  /** Loads a model file (ONNX Runtime also finds external weight files beside it). */
  static OnnxEmbeddingModel load(Path onnx, BertTokenizer tokenizer, int threads) throws OrtException {
    return open(tokenizer, threads, (environment, options) -> environment.createSession(onnx.toString(), options));
  }

  /** Loads a model from its ONNX bytes (the bundled model, read from the classpath). */
  static OnnxEmbeddingModel load(byte[] onnx, BertTokenizer tokenizer, int threads) throws OrtException {
    return open(tokenizer, threads, (environment, options) -> environment.createSession(onnx, options));
  }

  /**
   * @throws OrtException when ONNX Runtime cannot read the graph
   * @throws IllegalArgumentException when the graph lacks the inputs or output described above
   */
  private static OnnxEmbeddingModel open(BertTokenizer tokenizer, int threads, SessionFactory factory)
      throws OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      OrtSession session = factory.create(environment, options);
      try {
        return new OnnxEmbeddingModel(environment, session, tokenizer);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
  }

  private interface SessionFactory {
    OrtSession create(OrtEnvironment environment, OrtSession.SessionOptions options) throws OrtException;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Embeddings embed(List<String> inputs) {
    List<float[]> vectors = new ArrayList<>(inputs.size());
    int tokens = 0;
    for (int from = 0; from < inputs.size(); from += BATCH) {
      List<int[]> batch = new ArrayList<>();
      for (String input : inputs.subList(from, Math.min(inputs.size(), from + BATCH))) {
        int[] ids = tokenizer.encode(input);
        tokens += ids.length;
        batch.add(ids);
      }
      vectors.addAll(run(batch));
    }
    return new Embeddings(vectors, tokens);
  }

  private List<float[]> run(List<int[]> batch) {
    int seq = batch.stream().mapToInt(ids -> ids.length).max().orElse(0);
    long[] shape = {batch.size(), seq};
    long[] ids = new long[batch.size() * seq];
    long[] mask = new long[ids.length];
    for (int b = 0; b < batch.size(); b++) {
      int[] tokens = batch.get(b);
      for (int t = 0; t < tokens.length; t++) {
        ids[b * seq + t] = tokens[t];
        mask[b * seq + t] = 1;
      }
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
      feed.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
      if (takesTokenTypes) {
        feed.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape));
      }
      try (OrtSession.Result result = session.run(feed, Set.of(OUTPUT))) {
        FloatBuffer hidden = ((OnnxTensor) result.get(OUTPUT).orElseThrow()).getFloatBuffer();
        return meanPool(hidden, mask, batch.size(), seq);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  private List<float[]> meanPool(FloatBuffer hidden, long[] mask, int batchSize, int seq) {
    List<float[]> vectors = new ArrayList<>(batchSize);
    for (int b = 0; b < batchSize; b++) {
      float[] sum = new float[dimension];
      int count = 0;
      for (int t = 0; t < seq; t++) {
        if (mask[b * seq + t] == 0) {
          continue;
        }
        count++;
        int offset = (b * seq + t) * dimension;
        for (int d = 0; d < dimension; d++) {
          sum[d] += hidden.get(offset + d);
        }
      }
      for (int d = 0; d < dimension; d++) {
        sum[d] /= Math.max(1, count);
      }
      vectors.add(EmbeddingModel.normalize(sum));
    }
    return vectors;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
