package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Reading the {@code model} field out of multipart forms as the SDKs and curl send them. */
class MultipartFormsTest {

  @Test
  void theBoundaryIsReadPlainOrQuotedAndOnlyFromForms() {
    assertThat(MultipartForms.boundary("multipart/form-data; boundary=abc123")).isEqualTo("abc123");
    assertThat(MultipartForms.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"")).isEqualTo("a b");
    assertThat(MultipartForms.boundary("multipart/form-data")).isNull();
    assertThat(MultipartForms.boundary("application/json; boundary=x")).isNull();
    assertThat(MultipartForms.boundary(null)).isNull();
  }

  @Test
  void theFieldIsFoundAfterABinaryFileAndAFileOfTheSameNameIsNotTakenForIt() {
    Buffer form = Buffer.buffer("--XyZ\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model\"\r\n\r\n")
        .appendBytes(new byte[] {(byte) 0xff, 0, 13, 10, (byte) 0x80})
        .appendString("\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
            + "Content-Type: audio/wav\r\n\r\n--Xy\r\n")
        .appendString("\r\n--XyZ\r\ncontent-disposition: form-data; name=\"model\"\r\n\r\nwhisper-ü\r\n--XyZ--\r\n");

    assertThat(MultipartForms.field(form, "XyZ", "model")).isEqualTo("whisper-ü");
    assertThat(MultipartForms.field(form, "XyZ", "language")).isNull();
    assertThat(MultipartForms.field(Buffer.buffer("--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm"),
        "XyZ", "model")).as("an unterminated part").isNull();
  }

  @Test
  void renamingTheModelFieldKeepsEveryOtherByteOfTheForm() {
    byte[] file = {(byte) 0xff, 0, 13, 10, (byte) 0x80, '-', '-'};
    Buffer head = Buffer.buffer("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n")
        .appendBytes(file).appendString("\r\n--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n");
    Buffer tail = Buffer.buffer("\r\n--XyZ\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nde\r\n--XyZ--\r\n");
    Buffer form = head.copy().appendString("route-ü").appendBuffer(tail);

    Buffer renamed = MultipartForms.withField(form, "XyZ", "model", "whisper-1");

    assertThat(renamed.getBytes()).isEqualTo(head.copy().appendString("whisper-1").appendBuffer(tail).getBytes());
    assertThat(MultipartForms.field(renamed, "XyZ", "model")).isEqualTo("whisper-1");
    assertThat(MultipartForms.withField(form, "XyZ", "prompt", "x")).as("no such field: unchanged").isSameAs(form);
  }
}
