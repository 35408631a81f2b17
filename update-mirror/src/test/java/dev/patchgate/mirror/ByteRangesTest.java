package dev.patchgate.mirror;

import static dev.patchgate.mirror.RangeDecision.Kind.FULL;
import static dev.patchgate.mirror.RangeDecision.Kind.MULTI;
import static dev.patchgate.mirror.RangeDecision.Kind.SINGLE;
import static dev.patchgate.mirror.RangeDecision.Kind.UNSATISFIABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ByteRangesTest {
  private static final long LEN = 1000;
  private static final int CAP = 16;

  static Stream<Arguments> ranges() {
    return Stream.of(
        // no Range
        arguments(null, FULL, ""),
        // the three forms
        arguments("bytes=0-99", SINGLE, "0-99"),
        arguments("bytes=-500", SINGLE, "500-999"),
        arguments("bytes=100-", SINGLE, "100-999"),
        // last byte beyond the end is clipped
        arguments("bytes=900-5000", SINGLE, "900-999"),
        // suffix longer than the object: the whole object
        arguments("bytes=-5000", SINGLE, "0-999"),
        // the unit is case-insensitive, whitespace around list elements is allowed
        arguments("Bytes=0-0 , 2-2", MULTI, "0-0,2-2"),
        // empty list elements are skipped
        arguments("bytes=0-0,,5-5", MULTI, "0-0,5-5"),
        // a list, sorted
        arguments("bytes=500-599,0-99", MULTI, "0-99,500-599"),
        // overlapping ranges are merged
        arguments("bytes=0-499,100-599", SINGLE, "0-599"),
        // adjacent ranges are merged
        arguments("bytes=0-99,100-199", SINGLE, "0-199"),
        // first and last byte
        arguments("bytes=0-0,-1", MULTI, "0-0,999-999"),
        // one unsatisfiable range among satisfiable ones is dropped
        arguments("bytes=0-9,2000-3000", SINGLE, "0-9"),
        // abuse: overlapping ranges that sum far beyond the length merge into one
        arguments("bytes=0-999,0-999,0-999,0-999,1-998,-1000", SINGLE, "0-999"),
        // abuse: huge numbers saturate instead of overflowing
        arguments("bytes=0-99999999999999999999999999", SINGLE, "0-999"),
        arguments("bytes=-99999999999999999999999999", SINGLE, "0-999"),
        arguments("bytes=99999999999999999999999999-", UNSATISFIABLE, ""),
        // unsatisfiable: every first byte at or past the end
        arguments("bytes=1000-", UNSATISFIABLE, ""),
        arguments("bytes=1000-2000,5000-6000", UNSATISFIABLE, ""),
        // unsatisfiable: a suffix of zero bytes
        arguments("bytes=-0", UNSATISFIABLE, ""),
        // invalid, so ignored: negative / reversed / garbage / other units / empty sets
        arguments("bytes=-1-5", FULL, ""),
        arguments("bytes=5-1", FULL, ""),
        arguments("bytes=a-b", FULL, ""),
        arguments("bytes=0-99,x", FULL, ""),
        arguments("bytes=+1-2", FULL, ""),
        arguments("bytes= 0-1", SINGLE, "0-1"),
        arguments("bytes=-", FULL, ""),
        arguments("bytes=", FULL, ""),
        arguments("bytes=,", FULL, ""),
        arguments("bytes 0-99", FULL, ""),
        arguments("items=0-99", FULL, ""),
        arguments("bytes=0x10-0x20", FULL, ""),
        arguments("bytes=1e3-", FULL, ""));
  }

  @ParameterizedTest
  @MethodSource("ranges")
  void resolve_followsRfc9110(String range, RangeDecision.Kind kind, String expected) {
    RangeDecision d = ByteRanges.resolve(range, null, null, null, LEN, CAP);

    assertThat(d.kind()).isEqualTo(kind);
    assertThat(render(d.ranges())).isEqualTo(expected);
    assertThat(d.length()).isEqualTo(LEN);
  }

  @Test
  void moreRangesThanTheCapAreIgnoredAndTheWholeObjectIsSent() {
    String thousand =
        IntStream.range(0, 1000).mapToObj(i -> i + "-" + i).collect(Collectors.joining(","));

    assertThat(ByteRanges.resolve("bytes=" + thousand, null, null, null, LEN, CAP).kind())
        .isEqualTo(FULL);
  }

  @Test
  void exactlyTheCapIsHonoured() {
    List<String> specs = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      specs.add((i * 10) + "-" + (i * 10));
    }

    RangeDecision d =
        ByteRanges.resolve("bytes=" + String.join(",", specs), null, null, null, LEN, CAP);

    assertThat(d.kind()).isEqualTo(MULTI);
    assertThat(d.ranges()).hasSize(CAP);
  }

  @Test
  void theSumOfAMultiAnswerNeverExceedsTheLength() {
    String abusive =
        IntStream.range(0, CAP).mapToObj(i -> "0-" + (LEN - 1)).collect(Collectors.joining(","));

    RangeDecision d = ByteRanges.resolve("bytes=" + abusive, null, null, null, LEN, CAP);

    assertThat(d.ranges().stream().mapToLong(ByteRange::length).sum()).isEqualTo(LEN);
  }

  @Test
  void anEmptyObjectIgnoresRanges() {
    assertThat(ByteRanges.resolve("bytes=0-0", null, null, null, 0, CAP).kind()).isEqualTo(FULL);
  }

  @Test
  void unsatisfiableNamesTheLength() {
    assertThat(
            ByteRanges.resolve("bytes=5000-", null, null, null, LEN, CAP).unsatisfiedContentRange())
        .isEqualTo("bytes */1000");
  }

  static Stream<Arguments> ifRanges() {
    String date = "Wed, 15 Nov 1995 04:58:08 GMT";
    return Stream.of(
        // a strong ETag that matches
        arguments("\"v1\"", "\"v1\"", null, SINGLE),
        // another ETag: the whole (new) object
        arguments("\"v2\"", "\"v1\"", null, FULL),
        // weak tags never match (strong comparison)
        arguments("W/\"v1\"", "W/\"v1\"", null, FULL),
        arguments("\"v1\"", "W/\"v1\"", null, FULL),
        // no stored ETag
        arguments("\"v1\"", null, date, FULL),
        // the same date, also in the obsolete forms
        arguments(date, null, date, SINGLE),
        arguments("Wednesday, 15-Nov-95 04:58:08 GMT", null, date, SINGLE),
        arguments("Wed Nov 15 04:58:08 1995", null, date, SINGLE),
        // another date, an earlier one included
        arguments("Wed, 15 Nov 1995 04:58:07 GMT", null, date, FULL),
        // no stored Last-Modified, or an unparseable date
        arguments(date, "\"v1\"", null, FULL),
        arguments("yesterday", null, date, FULL));
  }

  @ParameterizedTest
  @MethodSource("ifRanges")
  void ifRange_honoursTheRangeOnlyWhenItMatches(
      String ifRange, String etag, String lastModified, RangeDecision.Kind kind) {
    assertThat(ByteRanges.resolve("bytes=0-9", ifRange, etag, lastModified, LEN, CAP).kind())
        .isEqualTo(kind);
  }

  @Test
  void headerLookupForm_ignoresTwoRangeFields() {
    HeaderLookup request = HeaderLookup.of("Range", "bytes=0-9", "Range", "bytes=10-19");

    assertThat(ByteRanges.resolve(request, HeaderLookup.none(), LEN, CAP).kind()).isEqualTo(FULL);
  }

  @Test
  void headerLookupForm_readsIfRangeAgainstTheStoredFields() {
    HeaderLookup request = HeaderLookup.of("Range", "bytes=0-9", "If-Range", "\"abc\"");
    HeaderLookup stored = HeaderLookup.of("ETag", "\"abc\"");

    assertThat(ByteRanges.resolve(request, stored, LEN, CAP).single())
        .isEqualTo(new ByteRange(0, 9));
    assertThat(ByteRanges.resolve(request, HeaderLookup.of("ETag", "\"x\""), LEN, CAP).kind())
        .isEqualTo(FULL);
  }

  private static String render(List<ByteRange> ranges) {
    return ranges.stream().map(r -> r.first() + "-" + r.last()).collect(Collectors.joining(","));
  }
}
