package dev.gantry.engine.builtin.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Gantry's bundled demo chat model, {@code builtin_model: gantry-tiny-chat}: a {@link FixedReplyModel}
 * of about 110 KB that says what it is, so a new user gets a chat answer with nothing downloaded or
 * installed. It is generated when an engine needs it (in a few milliseconds), never shipped as a file.
 */
public final class DemoChatModel {

  public static final String ID = "gantry-tiny-chat";
  /** What it answers, whatever it is asked. */
  public static final String REPLY =
      "Hello from Gantry! This tiny demo model only says this; deploy a real GGUF file to chat.";
  /** The word pieces {@link #REPLY} is made of, in order. */
  public static final List<String> PIECES = List.of("Hello", "▁from", "▁Gantry", "!", "▁This", "▁tiny", "▁demo",
      "▁model", "▁only", "▁says", "▁this", ";", "▁deploy", "▁a", "▁real", "▁GGUF", "▁file", "▁to", "▁chat", ".");
  /** 32 wide, one layer, four heads: the smallest shape with a channel per reply piece to spare. */
  public static final LlamaShape SHAPE = new LlamaShape(32, 1, 4, 4, 64, 2048);

  private DemoChatModel() {
  }

  /** Writes the model to {@code file}, creating or replacing it; the bytes are the same every time. */
  public static Path write(Path file) throws IOException {
    return FixedReplyModel.write(file, ID, SHAPE, PIECES);
  }
}
