package dev.patchgate.mirror;

import static dev.patchgate.mirror.MirrorAction.BYPASS;
import static dev.patchgate.mirror.MirrorAction.FILL;
import static dev.patchgate.mirror.MirrorAction.REVALIDATE;
import static dev.patchgate.mirror.MirrorAction.SERVE;
import static dev.patchgate.mirror.MirrorAction.SERVE_STALE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MirrorStrategyTest {
  private static final String HEX = "0123456789abcdef0123456789abcdef01234567";
  private static final Instant LATER = Metas.T0.plusSeconds(3600);

  // Stored objects, validated at T0, decided an hour later.
  private static final StoredMeta FRESH =
      Metas.meta("http://h:80/a.zip", "Cache-Control", "max-age=86400", "ETag", "\"e1\"");
  private static final StoredMeta STALE =
      Metas.meta(
          "http://h:80/a.zip",
          "Cache-Control",
          "max-age=60",
          "ETag",
          "\"e1\"",
          "Last-Modified",
          "Sun, 22 Nov 2026 10:00:00 GMT");
  private static final StoredMeta STALE_NO_VALIDATOR =
      Metas.meta("http://h:80/a.zip", "Cache-Control", "max-age=60");
  private static final StoredMeta IMMUTABLE_OBJECT = Metas.meta("http://h:80/kb_" + HEX + ".cab");
  private static final StoredMeta INDEX_FILE =
      Metas.meta(
          "http://h:80/dists/x/InRelease", "Cache-Control", "max-age=86400", "ETag", "\"i\"");

  static Stream<Arguments> decisions() {
    return Stream.of(
        // what is not mirrored
        row("POST", none(), FRESH, MirrorRules.DEFAULT, false, BYPASS, MirrorStrategy.METHOD),
        row("GET", none(), FRESH, MirrorRules.OFF, false, BYPASS, MirrorStrategy.OFF),
        row(
            "GET",
            req("Authorization", "Basic eA=="),
            FRESH,
            MirrorRules.DEFAULT,
            false,
            BYPASS,
            MirrorStrategy.AUTHORIZATION),
        row(
            "GET",
            req("Cache-Control", "no-store"),
            null,
            MirrorRules.DEFAULT,
            false,
            BYPASS,
            MirrorStrategy.NO_STORE),
        // a Cookie does not bypass
        row(
            "GET",
            req("Cookie", "a=b"),
            FRESH,
            MirrorRules.DEFAULT,
            false,
            SERVE,
            MirrorStrategy.FRESH),
        // misses
        row("GET", none(), null, MirrorRules.DEFAULT, false, FILL, MirrorStrategy.NOT_STORED),
        row(
            "HEAD",
            none(),
            null,
            MirrorRules.DEFAULT,
            false,
            BYPASS,
            MirrorStrategy.HEAD_NOT_STORED),
        row(
            "GET",
            none(),
            null,
            MirrorRules.DEFAULT,
            true,
            BYPASS,
            MirrorStrategy.NOT_STORED_OFFLINE),
        // hits
        row("GET", none(), FRESH, MirrorRules.DEFAULT, false, SERVE, MirrorStrategy.FRESH),
        row("HEAD", none(), FRESH, MirrorRules.DEFAULT, false, SERVE, MirrorStrategy.FRESH),
        row(
            "GET",
            none(),
            IMMUTABLE_OBJECT,
            MirrorRules.DEFAULT,
            false,
            SERVE,
            MirrorStrategy.IMMUTABLE),
        // immutable objects ignore a client's no-cache
        row(
            "GET",
            req("Cache-Control", "no-cache"),
            IMMUTABLE_OBJECT,
            MirrorRules.DEFAULT,
            false,
            SERVE,
            MirrorStrategy.IMMUTABLE),
        row(
            "GET",
            req("Pragma", "no-cache"),
            IMMUTABLE_OBJECT,
            MirrorRules.DEFAULT,
            false,
            SERVE,
            MirrorStrategy.IMMUTABLE),
        // the client asks to revalidate
        row(
            "GET",
            req("Cache-Control", "no-cache"),
            FRESH,
            MirrorRules.DEFAULT,
            false,
            REVALIDATE,
            MirrorStrategy.CLIENT_REVALIDATE),
        row(
            "GET",
            req("Cache-Control", "max-age=0"),
            FRESH,
            MirrorRules.DEFAULT,
            false,
            REVALIDATE,
            MirrorStrategy.CLIENT_REVALIDATE),
        row(
            "GET",
            req("Cache-Control", "max-age=7200"),
            FRESH,
            MirrorRules.DEFAULT,
            false,
            SERVE,
            MirrorStrategy.FRESH),
        row(
            "GET",
            req("Pragma", "no-cache"),
            FRESH,
            MirrorRules.DEFAULT,
            false,
            REVALIDATE,
            MirrorStrategy.CLIENT_REVALIDATE),
        // Pragma is ignored beside Cache-Control
        row(
            "GET",
            req("Pragma", "no-cache", "Cache-Control", "max-age=7200"),
            FRESH,
            MirrorRules.DEFAULT,
            false,
            SERVE,
            MirrorStrategy.FRESH),
        // stale and index objects are revalidated
        row("GET", none(), STALE, MirrorRules.DEFAULT, false, REVALIDATE, MirrorStrategy.STALE),
        row(
            "GET",
            none(),
            INDEX_FILE,
            MirrorRules.DEFAULT,
            false,
            REVALIDATE,
            MirrorStrategy.INDEX),
        row(
            "GET",
            none(),
            STALE_NO_VALIDATOR,
            MirrorRules.DEFAULT,
            false,
            FILL,
            MirrorStrategy.NO_VALIDATOR),
        row("HEAD", none(), STALE, MirrorRules.DEFAULT, false, BYPASS, MirrorStrategy.HEAD_STALE),
        // offline: the stored copy stands in, stale or not
        row(
            "GET",
            none(),
            STALE,
            MirrorRules.DEFAULT,
            true,
            SERVE_STALE,
            MirrorStrategy.STALE_OFFLINE),
        row(
            "GET",
            none(),
            INDEX_FILE,
            MirrorRules.DEFAULT,
            true,
            SERVE_STALE,
            MirrorStrategy.STALE_OFFLINE),
        row(
            "HEAD",
            none(),
            STALE,
            MirrorRules.DEFAULT,
            true,
            SERVE_STALE,
            MirrorStrategy.STALE_OFFLINE),
        row("GET", none(), FRESH, MirrorRules.DEFAULT, true, SERVE, MirrorStrategy.FRESH));
  }

  private static Arguments row(
      String method,
      HeaderLookup request,
      StoredMeta stored,
      MirrorRules rules,
      boolean unreachable,
      MirrorAction action,
      String reason) {
    return arguments(
        method, request, Optional.ofNullable(stored), rules, unreachable, action, reason);
  }

  private static HeaderLookup none() {
    return HeaderLookup.none();
  }

  private static HeaderLookup req(String... nv) {
    return HeaderLookup.of(nv);
  }

  @ParameterizedTest
  @MethodSource("decisions")
  void decide_servesRevalidatesFillsOrBypasses(
      String method,
      HeaderLookup request,
      Optional<StoredMeta> stored,
      MirrorRules rules,
      boolean unreachable,
      MirrorAction action,
      String reason) {
    MirrorDecision d = MirrorStrategy.decide(method, request, stored, rules, LATER, unreachable);

    assertThat(d.action()).isEqualTo(action);
    assertThat(d.reason()).isEqualTo(reason);
  }

  @Test
  void revalidationSendsTheStoredValidators() {
    MirrorDecision d =
        MirrorStrategy.decide("GET", none(), Optional.of(STALE), MirrorRules.DEFAULT, LATER, false);

    assertThat(d.conditionalHeaders())
        .containsExactly(
            new HeaderField("If-None-Match", "\"e1\""),
            new HeaderField("If-Modified-Since", "Sun, 22 Nov 2026 10:00:00 GMT"));
  }

  @Test
  void aRangedMissIsMarkedSoTheProxyAnswersItAtOnce() {
    MirrorDecision d =
        MirrorStrategy.decide(
            "GET", req("Range", "bytes=0-9"), Optional.empty(), MirrorRules.DEFAULT, LATER, false);

    assertThat(d.action()).isEqualTo(FILL);
    assertThat(d.ranged()).isTrue();
  }

  @Test
  void anEntrysMaxAgeKeepsAnOrdinaryObjectFresh() {
    MirrorRules sixHours = new MirrorRules(true, false, Optional.of(java.time.Duration.ofHours(6)));

    assertThat(
            MirrorStrategy.decide("GET", none(), Optional.of(STALE), sixHours, LATER, false)
                .action())
        .isEqualTo(SERVE);
  }

  static Stream<Arguments> revalidationAnswers() {
    return Stream.of(
        arguments(304, SERVE),
        arguments(200, FILL),
        arguments(500, SERVE_STALE),
        arguments(502, SERVE_STALE),
        arguments(503, SERVE_STALE),
        arguments(504, SERVE_STALE),
        arguments(404, BYPASS),
        arguments(403, BYPASS),
        arguments(206, BYPASS));
  }

  @ParameterizedTest
  @MethodSource("revalidationAnswers")
  void afterRevalidation_mapsTheUpstreamsAnswer(int status, MirrorAction action) {
    assertThat(MirrorStrategy.afterRevalidation(status)).isEqualTo(action);
  }

  static Stream<Arguments> conditionals() {
    HeaderLookup stored =
        HeaderLookup.of("ETag", "\"e1\"", "Last-Modified", "Sun, 22 Nov 2026 10:00:00 GMT");
    return Stream.of(
        arguments(req("If-None-Match", "\"e1\""), stored, true),
        // weak comparison for If-None-Match
        arguments(req("If-None-Match", "W/\"e1\""), stored, true),
        arguments(req("If-None-Match", "\"x\", \"e1\""), stored, true),
        arguments(req("If-None-Match", "*"), stored, true),
        arguments(req("If-None-Match", "\"x\""), stored, false),
        // If-None-Match decides alone when present
        arguments(
            req("If-None-Match", "\"x\"", "If-Modified-Since", "Mon, 23 Nov 2026 10:00:00 GMT"),
            stored,
            false),
        arguments(req("If-Modified-Since", "Sun, 22 Nov 2026 10:00:00 GMT"), stored, true),
        arguments(req("If-Modified-Since", "Mon, 23 Nov 2026 10:00:00 GMT"), stored, true),
        arguments(req("If-Modified-Since", "Sat, 21 Nov 2026 10:00:00 GMT"), stored, false),
        arguments(req("If-Modified-Since", "garbage"), stored, false),
        arguments(req("If-Modified-Since", "Mon, 23 Nov 2026 10:00:00 GMT"), none(), false),
        arguments(none(), stored, false));
  }

  @ParameterizedTest
  @MethodSource("conditionals")
  void notModified_evaluatesTheClientsConditionals(
      HeaderLookup request, HeaderLookup representation, boolean expected) {
    assertThat(MirrorStrategy.notModified(request, representation)).isEqualTo(expected);
  }

  @Test
  void rangeFromFill_waitsOnlyForBytesThatAreNear() {
    long window = MirrorStrategy.FILL_RANGE_WINDOW;

    assertThat(MirrorStrategy.rangeFromFill(0, 0, 100)).isTrue();
    assertThat(MirrorStrategy.rangeFromFill(window - 1, 0, 10 * window)).isTrue();
    assertThat(MirrorStrategy.rangeFromFill(window, 0, 10 * window)).isFalse();
    assertThat(MirrorStrategy.rangeFromFill(0, 0, -1)).isFalse();
    assertThat(MirrorStrategy.rangeFromFill(100, 100, 100)).isFalse();
  }

  @Test
  void theFillRequestDropsTheClientsRangeAndConditionals() {
    assertThat(MirrorStrategy.FILL_DROPPED_REQUEST_HEADERS)
        .containsAll(List.of("Range", "If-Range", "If-None-Match", "If-Modified-Since"));
  }
}
