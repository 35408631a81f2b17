package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResumePolicyTest {
  private static final long LEN = 1000;
  private static final Instant DATE = Instant.parse("2026-12-01T10:00:00Z");
  private static final String DATE_TEXT = "Tue, 01 Dec 2026 10:00:00 GMT";
  private static final String SECOND_BEFORE = "Tue, 01 Dec 2026 09:59:59 GMT";
  private static final String ETAG = "\"v1\"";

  static Stream<Arguments> validators() {
    return Stream.of(
        // a strong tag is the validator
        arguments(List.of("ETag", ETAG), ETAG),
        // ... and stays so beside a date
        arguments(List.of("ETag", ETAG, "Last-Modified", SECOND_BEFORE), ETAG),
        // a weak tag may not be used, and the date beside it is not consulted
        arguments(List.of("ETag", "W/\"v1\"", "Last-Modified", SECOND_BEFORE), null),
        // a tag that is not a quoted string is nothing to compare
        arguments(List.of("ETag", "v1"), null),
        // a date at least a second before the response's is strong
        arguments(List.of("Last-Modified", SECOND_BEFORE), SECOND_BEFORE),
        // a date within the second of the response may name two versions
        arguments(List.of("Last-Modified", DATE_TEXT), null),
        // an unreadable date is no validator
        arguments(List.of("Last-Modified", "yesterday"), null),
        // nothing to tell versions apart
        arguments(List.of(), null));
  }

  @ParameterizedTest
  @MethodSource("validators")
  void validator_isAStrongOneOrNone(List<String> fields, String expected) {
    assertThat(ResumePolicy.validator(head(LEN, fields))).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void request_asksForExactlyTheOwedBytesOfTheSameVersion() {
    assertThat(ResumePolicy.request(head(LEN, List.of("ETag", ETAG)), 400, 1000))
        .contains(
            List.of(new HeaderField("Range", "bytes=400-999"), new HeaderField("If-Range", ETAG)));
    // The rest of a range the client asked for ends where that range ends.
    assertThat(ResumePolicy.request(head(LEN, List.of("ETag", ETAG)), 400, 500).orElseThrow())
        .first()
        .isEqualTo(new HeaderField("Range", "bytes=400-499"));
  }

  static Stream<Arguments> unresumable() {
    return Stream.of(
        // no strong validator
        arguments(LEN, List.of("ETag", "W/\"v1\""), 400L, LEN),
        // no declared length: the body was chunked
        arguments(-1L, List.of("ETag", ETAG), 400L, LEN),
        // nothing owed
        arguments(LEN, List.of("ETag", ETAG), LEN, LEN),
        // beyond the representation
        arguments(LEN, List.of("ETag", ETAG), 400L, LEN + 1),
        arguments(LEN, List.of("ETag", ETAG), -1L, LEN));
  }

  @ParameterizedTest
  @MethodSource("unresumable")
  void request_isEmptyWhenTheRestCannotBeFetchedSafely(
      long declared, List<String> fields, long from, long to) {
    assertThat(ResumePolicy.request(head(declared, fields), from, to)).isEmpty();
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        // the rest, as asked
        arguments(206, List.of("Content-Range", "bytes 400-999/1000"), true),
        arguments(
            206,
            List.of(
                "Content-Range",
                "bytes 400-999/1000",
                "Content-Length",
                "600",
                "ETag",
                ETAG,
                "Content-Encoding",
                "identity"),
            true),
        // the unit is case-insensitive, the numbers are compared as numbers
        arguments(206, List.of("Content-Range", "Bytes 0400-999/1000"), true),
        // the range was ignored, or the version changed (If-Range false): the whole object
        arguments(200, List.of("Content-Length", "1000"), false),
        // a precondition failed, or the range is beyond a shorter new version
        arguments(412, List.of(), false),
        arguments(416, List.of("Content-Range", "bytes */900"), false),
        // another span, or another length: another version or a confused origin
        arguments(206, List.of("Content-Range", "bytes 0-999/1000"), false),
        arguments(206, List.of("Content-Range", "bytes 400-998/1000"), false),
        arguments(206, List.of("Content-Range", "bytes 400-999/2000"), false),
        arguments(206, List.of("Content-Range", "bytes 400-999/*"), false),
        // none, or two
        arguments(206, List.of(), false),
        arguments(
            206,
            List.of("Content-Range", "bytes 400-999/1000", "Content-Range", "bytes 400-999/1000"),
            false),
        // a body framed for another length
        arguments(
            206, List.of("Content-Range", "bytes 400-999/1000", "Content-Length", "1000"), false),
        // compressed bytes are not the representation's bytes
        arguments(
            206, List.of("Content-Range", "bytes 400-999/1000", "Content-Encoding", "gzip"), false),
        // another version despite If-Range
        arguments(206, List.of("Content-Range", "bytes 400-999/1000", "ETag", "\"v2\""), false));
  }

  @ParameterizedTest
  @MethodSource("answers")
  void mismatch_acceptsOnlyA206ContinuingTheRepresentationExactly(
      int status, List<String> fields, boolean continues) {
    Optional<String> mismatch =
        ResumePolicy.mismatch(status, lookup(fields), head(LEN, List.of("ETag", ETAG)), 400, LEN);

    assertThat(mismatch.isEmpty()).as("%s", mismatch).isEqualTo(continues);
  }

  @Test
  void mismatch_comparesTheDateWhenTheDateWasTheValidator() {
    ResponseHead dated = head(LEN, List.of("Last-Modified", SECOND_BEFORE));
    String range = "bytes 400-999/1000";

    assertThat(
            ResumePolicy.mismatch(
                206,
                lookup(List.of("Content-Range", range, "Last-Modified", SECOND_BEFORE)),
                dated,
                400,
                LEN))
        .isEmpty();
    assertThat(
            ResumePolicy.mismatch(
                206,
                lookup(List.of("Content-Range", range, "Last-Modified", DATE_TEXT)),
                dated,
                400,
                LEN))
        .isPresent();
  }

  private static ResponseHead head(long declared, List<String> fields) {
    List<HeaderField> h = new ArrayList<>();
    for (int i = 0; i < fields.size(); i += 2) {
      h.add(new HeaderField(fields.get(i), fields.get(i + 1)));
    }
    return new ResponseHead(200, h, declared, DATE);
  }

  private static HeaderLookup lookup(List<String> fields) {
    return HeaderLookup.of(fields.toArray(String[]::new));
  }
}
