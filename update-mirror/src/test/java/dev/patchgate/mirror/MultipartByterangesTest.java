package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartByterangesTest {
  private static final String BOUNDARY = "THIS_STRING_SEPARATES";

  @Test
  void twoPartsAreLaidOutAsInRfc7233() {
    // An 8000-byte "PDF" whose byte i is the letter 'a' + i % 26.
    byte[] file = new byte[8000];
    for (int i = 0; i < file.length; i++) {
      file[i] = (byte) ('a' + i % 26);
    }
    List<ByteRange> ranges = List.of(new ByteRange(500, 999), new ByteRange(7000, 7999));

    MultipartByteranges.Plan plan =
        MultipartByteranges.plan(ranges, 8000, "application/pdf", BOUNDARY);

    String expected =
        "--THIS_STRING_SEPARATES\r\n"
            + "Content-Type: application/pdf\r\n"
            + "Content-Range: bytes 500-999/8000\r\n"
            + "\r\n"
            + new String(file, 500, 500, StandardCharsets.US_ASCII)
            + "\r\n--THIS_STRING_SEPARATES\r\n"
            + "Content-Type: application/pdf\r\n"
            + "Content-Range: bytes 7000-7999/8000\r\n"
            + "\r\n"
            + new String(file, 7000, 1000, StandardCharsets.US_ASCII)
            + "\r\n--THIS_STRING_SEPARATES--\r\n";
    byte[] body = write(plan, file);
    assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo(expected);
    assertThat(plan.contentLength()).isEqualTo(body.length);
    assertThat(plan.contentType())
        .isEqualTo("multipart/byteranges; boundary=THIS_STRING_SEPARATES");
    assertThat(plan.parts())
        .extracting(MultipartByteranges.Part::offset, MultipartByteranges.Part::length)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(500L, 500L),
            org.assertj.core.groups.Tuple.tuple(7000L, 1000L));
  }

  @Test
  void partsLeaveOutAContentTypeThatIsUnknownOrUnsafe() {
    byte[] file = "0123456789".getBytes(StandardCharsets.US_ASCII);
    List<ByteRange> ranges = List.of(new ByteRange(0, 0), new ByteRange(9, 9));

    String body =
        new String(
            write(MultipartByteranges.plan(ranges, 10, "text/plain\r\nX-Evil: 1", "b"), file),
            StandardCharsets.US_ASCII);

    assertThat(body)
        .isEqualTo(
            "--b\r\nContent-Range: bytes 0-0/10\r\n\r\n0"
                + "\r\n--b\r\nContent-Range: bytes 9-9/10\r\n\r\n9"
                + "\r\n--b--\r\n");
  }

  @Test
  void newBoundariesAreValidAndDistinct() {
    String a = MultipartByteranges.newBoundary();
    String b = MultipartByteranges.newBoundary();

    assertThat(a).isNotEqualTo(b).hasSizeLessThanOrEqualTo(70).matches("[A-Za-z0-9-]+");
    MultipartByteranges.plan(List.of(new ByteRange(0, 0)), 1, null, a);
  }

  @Test
  void refusesAnInvalidBoundaryOrARangeBeyondTheEnd() {
    List<ByteRange> one = List.of(new ByteRange(0, 0));
    assertThatThrownBy(() -> MultipartByteranges.plan(one, 1, null, "a b\r\n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MultipartByteranges.plan(one, 1, null, "x".repeat(71)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MultipartByteranges.plan(List.of(new ByteRange(0, 5)), 5, null, "b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // What the proxy does: each part's header, the file region, then the closing delimiter.
  private static byte[] write(MultipartByteranges.Plan plan, byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (MultipartByteranges.Part p : plan.parts()) {
      out.writeBytes(p.header());
      out.write(file, (int) p.offset(), (int) p.length());
    }
    out.writeBytes(plan.closing());
    return out.toByteArray();
  }
}
