package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpFieldsParsingTest {
  private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

  static Stream<Arguments> dates() {
    return Stream.of(
        arguments("Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE),
        arguments("Sunday, 06-Nov-94 08:49:37 GMT", RFC_EXAMPLE),
        arguments("Sun Nov  6 08:49:37 1994", RFC_EXAMPLE),
        // case and surrounding whitespace
        arguments("  sun, 06 NOV 1994 08:49:37 GMT ", RFC_EXAMPLE),
        // a wrong day name is not cross-checked
        arguments("Mon, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE),
        arguments("Sun, 06 Nov 1994 08:49:37 UTC", null),
        arguments("Sun, 6 Nov 1994 08:49:37", null),
        arguments("0", null),
        arguments("", null),
        arguments(null, null));
  }

  @ParameterizedTest
  @MethodSource("dates")
  void httpDates_acceptTheThreeFormsOfRfc9110(String text, Instant expected) {
    assertThat(HttpDates.parse(text)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void cacheControl_readsDirectivesAcrossFieldsWithQuotedCommas() {
    CacheControl cc =
        CacheControl.parse(
            List.of("no-cache=\"Set-Cookie, X\", MAX-AGE=60", " s-maxage=10 ,public"));

    assertThat(cc.has("no-cache")).isTrue();
    assertThat(cc.has("public")).isTrue();
    assertThat(cc.has("x")).isFalse();
    assertThat(cc.seconds("max-age")).isEqualTo(OptionalLong.of(60));
    assertThat(cc.seconds("s-maxage")).isEqualTo(OptionalLong.of(10));
    assertThat(cc.seconds("min-fresh")).isEmpty();
  }

  @Test
  void cacheControl_treatsAnInvalidOrHugeDeltaSafely() {
    assertThat(CacheControl.parse(List.of("max-age=abc")).seconds("max-age"))
        .isEqualTo(OptionalLong.of(0));
    assertThat(CacheControl.parse(List.of("max-age=\"5\"")).seconds("max-age"))
        .isEqualTo(OptionalLong.of(5));
    assertThat(CacheControl.parse(List.of("max-age=99999999999999999999")).seconds("max-age"))
        .isEqualTo(OptionalLong.of(Integer.MAX_VALUE));
  }
}
