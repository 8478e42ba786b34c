package dev.gantry.scheduler.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.testmodels.TestModels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufHeaderCorruptFileTest {

  @TempDir
  Path dir;

  private AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(Path file, String problem) {
    return assertThatThrownBy(() -> GgufHeader.read(file))
        .isInstanceOfSatisfying(InvalidGgufException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.getMessage()).startsWith(file + ": ");
        })
        .hasMessageContaining(problem);
  }

  private Path raw(RawGguf gguf) throws IOException {
    return gguf.write(Files.createTempFile(dir, "raw", ".gguf"));
  }

  @ParameterizedTest(name = "\"{0}\" is not a GGUF file")
  @ValueSource(strings = {"", "G", "GGU", "GGML", "{\"architectures\": [\"LlamaForCausalLM\"]}", "PK\u0003\u0004"})
  void rejectsFilesWithoutTheMagic(String content) throws IOException {
    Path file = Files.writeString(dir.resolve("model.bin"), content);

    assertInvalid(file, "not a GGUF file (bad magic)");
  }

  @Test
  void rejectsAFileThatStopsAfterTheMagic() throws IOException {
    Path file = Files.writeString(dir.resolve("cut.gguf"), "GGUF");

    assertInvalid(file, "truncated header");
  }

  @Test
  void rejectsEveryCutInsideTheHeaderAsTruncated() throws IOException {
    Path model = TestModels.deterministic(dir.resolve("model.gguf"));
    long dataOffset = GgufHeader.read(model).dataOffset();
    byte[] bytes = Files.readAllBytes(model);

    for (int length = 5; length < dataOffset; length += 97) {
      Path cut = Files.write(dir.resolve("cut-" + length + ".gguf"), Arrays.copyOf(bytes, length));
      assertInvalid(cut, "truncated");
    }
  }

  @Test
  void rejectsAFileWhoseTensorDataIsIncomplete() throws IOException {
    Path model = TestModels.deterministic(dir.resolve("model.gguf"));
    try (RandomAccessFile file = new RandomAccessFile(model.toFile(), "rw")) {
      file.setLength(file.length() - 100);
    }

    assertInvalid(model, "truncated tensor data: tensor output.weight ends at byte")
        .hasMessageContaining("(incomplete download?)");
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {0, 1, 4, 0x7FFF})
  void rejectsUnsupportedVersions(int version) throws IOException {
    Path file = raw(RawGguf.header(version, 0, 0));

    assertInvalid(file, "GGUF version " + version + " is not supported (only versions 2 and 3)");
  }

  @Test
  void rejectsBigEndianFiles() throws IOException {
    Path file = raw(RawGguf.header(0x03000000, 0, 0));

    assertInvalid(file, "big-endian GGUF files are not supported");
  }

  @Test
  void rejectsAbsurdCounts() throws IOException {
    assertInvalid(raw(RawGguf.header(3, 1L << 40, 0)), "tensor count 1099511627776 is over the limit");
    assertInvalid(raw(RawGguf.header(3, 0, -1)), "metadata count 18446744073709551615 is over the limit");
  }

  @Test
  void rejectsAStringLongerThanTheLimitWithoutAllocatingIt() throws IOException {
    Path file = raw(RawGguf.header(3, 0, 1).u64(1L << 40));

    assertInvalid(file, "metadata key #0 is 1099511627776 bytes long, over the limit of 16777216 bytes");
  }

  @Test
  void rejectsAStringLongerThanTheFile() throws IOException {
    Path file = raw(RawGguf.header(3, 0, 1).string("general.name").u32(8).u64(1000).raw(new byte[10]));

    assertInvalid(file, "truncated header: 1000 bytes of metadata general.name expected at offset");
  }

  @Test
  void rejectsAnArrayLongerThanTheFileBeforeReadingIt() throws IOException {
    Path file = raw(RawGguf.header(3, 0, 1).string("tokenizer.ggml.scores").u32(9).u32(6).u64(1_000_000));

    assertInvalid(file, "truncated header: 4000000 bytes of array tokenizer.ggml.scores expected");
  }

  @Test
  void rejectsATensorCountTheFileCannotHold() throws IOException {
    Path file = raw(RawGguf.header(3, 1000, 0).raw(new byte[100]));

    assertInvalid(file, "truncated header: 24000 bytes of infos of 1000 tensors expected at offset 24, "
        + "but the file ends at 124");
  }

  @Test
  void rejectsAnArrayOverTheLengthLimit() throws IOException {
    Path file = raw(RawGguf.header(3, 0, 1).string("tokens").u32(9).u32(8).u64(1L << 32));

    assertInvalid(file, "length of array tokens 4294967296 is over the limit");
  }

  @Test
  void rejectsNestedArraysAndUnknownValueTypes() throws IOException {
    assertInvalid(raw(RawGguf.header(3, 0, 1).string("nested").u32(9).u32(9).u64(1)),
        "metadata nested is an array of arrays");
    assertInvalid(raw(RawGguf.header(3, 0, 1).string("odd").u32(13)), "metadata odd has unknown value type 13");
  }

  @Test
  void rejectsDuplicateKeys() throws IOException {
    Path file = raw(RawGguf.header(3, 0, 2).uint32Entry("llama.block_count", 2).uint32Entry("llama.block_count", 3));

    assertInvalid(file, "duplicate metadata key llama.block_count");
  }

  @Test
  void rejectsAnAlignmentThatIsNotAPowerOfTwo() throws IOException {
    Path file = raw(RawGguf.header(3, 0, 1).uint32Entry("general.alignment", 48));

    assertInvalid(file, "general.alignment 48 is not a power of two");
  }

  @Test
  void rejectsUnknownGgmlTypesAndSaysWhatToDo() throws IOException {
    Path file = raw(RawGguf.header(3, 1, 0).tensorInfo("w", new long[] {32}, 99, 0).raw(new byte[64]));

    assertInvalid(file, "tensor w has ggml type 99, which Gantry does not know")
        .hasMessageContaining("explicit resource override");
  }

  @Test
  void rejectsMalformedTensorInfos() throws IOException {
    assertInvalid(raw(RawGguf.header(3, 1, 0).tensorInfo("w", new long[] {1, 1, 1, 1, 1}, 0, 0)),
        "tensor w has 5 dimensions, more than 4");
    assertInvalid(raw(RawGguf.header(3, 1, 0).tensorInfo("w", new long[] {-4}, 0, 0)),
        "tensor w has a negative dimension -4");
    assertInvalid(raw(RawGguf.header(3, 1, 0).tensorInfo("w", new long[] {33}, GgmlType.Q4_0.id(), 0)),
        "tensor w of type Q4_0 has rows of 33 elements, not a multiple of its block size 32");
    assertInvalid(raw(RawGguf.header(3, 1, 0).tensorInfo("w", new long[] {8}, 0, 7)),
        "tensor w has offset 7, not a multiple of the alignment 32");
    assertInvalid(raw(RawGguf.header(3, 1, 0).tensorInfo("w", new long[] {1L << 62, 1L << 62}, 0, 0)),
        "tensor w with dimensions [4611686018427387904, 4611686018427387904] is too large");
  }

  @Test
  void rejectsDuplicateTensors() throws IOException {
    Path file = raw(RawGguf.header(3, 2, 0)
        .tensorInfo("w", new long[] {8}, 0, 0).tensorInfo("w", new long[] {8}, 0, 32).raw(new byte[128]));

    assertInvalid(file, "duplicate tensor w");
  }

  @Test
  void rejectsTensorDataThatWouldEndBeyondAnyFile() throws IOException {
    Path file = raw(RawGguf.header(3, 1, 0).tensorInfo("w", new long[] {1L << 60}, 0, Long.MAX_VALUE - 31));

    assertInvalid(file, "truncated tensor data: tensor w ends at byte 9223372036854775807");
  }
}
