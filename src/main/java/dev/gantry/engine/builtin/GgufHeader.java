package dev.gantry.engine.builtin;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few facts the engine needs from a GGUF file's header, read without loading the model: that it
 * is GGUF at all (so a bad file gets a clear message instead of a native abort), its architecture,
 * its training context length, its embedding width and how many special tokens the tokenizer adds
 * to a prompt.
 */
record GgufHeader(String architecture, long contextLength, int embeddingLength, int specialTokensAdded) {

  private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
  private static final int TYPE_STRING = 8;
  private static final int TYPE_ARRAY = 9;
  private static final int[] SCALAR_SIZES = {1, 1, 2, 2, 4, 4, 4, 1, -1, -1, 8, 8, 8};

  /** True when the file starts with the GGUF magic bytes. */
  static boolean hasMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && readInt(magic, 0) == MAGIC;
    }
  }

  /**
   * Reads the header's key/value section.
   *
   * @throws IllegalArgumentException naming the problem when the file is not a readable GGUF file
   */
  static GgufHeader read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      Reader reader = new Reader(in);
      if (reader.int32() != MAGIC) {
        throw new IllegalArgumentException("it does not start with the GGUF magic bytes");
      }
      int version = reader.int32();
      if (version < 2 || version > 3) {
        throw new IllegalArgumentException("GGUF version " + version + " is not supported (2 or 3 expected)");
      }
      reader.int64();
      long entries = reader.int64();
      return readEntries(reader, entries);
    } catch (EOFException e) {
      throw new IllegalArgumentException("the file is truncated inside its GGUF header");
    }
  }

  private static GgufHeader readEntries(Reader reader, long entries) throws IOException {
    String architecture = null;
    String tokenizerModel = null;
    long contextLength = 0;
    int embeddingLength = 0;
    Boolean addBos = null;
    Boolean addEos = null;
    for (long i = 0; i < entries; i++) {
      String key = reader.string();
      int type = reader.int32();
      if (key.equals("general.architecture") && type == TYPE_STRING) {
        architecture = reader.string();
      } else if (key.equals("tokenizer.ggml.model") && type == TYPE_STRING) {
        tokenizerModel = reader.string();
      } else if (key.equals(architecture + ".context_length") && (type == 4 || type == 10)) {
        contextLength = type == 4 ? Integer.toUnsignedLong(reader.int32()) : reader.int64();
      } else if (key.equals(architecture + ".embedding_length") && type == 4) {
        embeddingLength = reader.int32();
      } else if (key.equals("tokenizer.ggml.add_bos_token") && type == 7) {
        addBos = reader.bool();
      } else if (key.equals("tokenizer.ggml.add_eos_token") && type == 7) {
        addEos = reader.bool();
      } else {
        reader.skip(type);
      }
    }
    if (architecture == null) {
      throw new IllegalArgumentException("its GGUF header has no general.architecture");
    }
    boolean bert = "bert".equals(tokenizerModel);
    boolean bos = addBos != null ? addBos : bert || "llama".equals(tokenizerModel);
    boolean eos = addEos != null ? addEos : bert;
    return new GgufHeader(architecture, contextLength, embeddingLength, (bos ? 1 : 0) + (eos ? 1 : 0));
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  /** Little-endian reads of GGUF's primitive types. */
  private static final class Reader {
    private static final long MAX_STRING = 64L << 20;
    private final InputStream in;

    Reader(InputStream in) {
      this.in = in;
    }

    int int32() throws IOException {
      return readInt(bytes(4), 0);
    }

    long int64() throws IOException {
      byte[] b = bytes(8);
      return Integer.toUnsignedLong(readInt(b, 0)) | (long) readInt(b, 4) << 32;
    }

    boolean bool() throws IOException {
      return bytes(1)[0] != 0;
    }

    String string() throws IOException {
      long length = int64();
      if (length < 0 || length > MAX_STRING) {
        throw new IllegalArgumentException("its GGUF header has a string of " + length + " bytes; the file is corrupt");
      }
      return new String(bytes((int) length), StandardCharsets.UTF_8);
    }

    void skip(int type) throws IOException {
      if (type == TYPE_STRING) {
        skipBytes(int64());
      } else if (type == TYPE_ARRAY) {
        int elementType = int32();
        long count = int64();
        if (elementType == TYPE_STRING || elementType == TYPE_ARRAY) {
          for (long i = 0; i < count; i++) {
            skip(elementType);
          }
        } else {
          skipBytes(count * scalarSize(elementType));
        }
      } else {
        skipBytes(scalarSize(type));
      }
    }

    private static int scalarSize(int type) {
      if (type < 0 || type >= SCALAR_SIZES.length || SCALAR_SIZES[type] < 0) {
        throw new IllegalArgumentException("its GGUF header has an unknown value type " + type + "; the file is corrupt");
      }
      return SCALAR_SIZES[type];
    }

    private void skipBytes(long n) throws IOException {
      if (n < 0) {
        throw new IllegalArgumentException("its GGUF header has a negative length; the file is corrupt");
      }
      in.skipNBytes(n);
    }

    private byte[] bytes(int n) throws IOException {
      byte[] b = in.readNBytes(n);
      if (b.length < n) {
        throw new EOFException();
      }
      return b;
    }
  }
}
