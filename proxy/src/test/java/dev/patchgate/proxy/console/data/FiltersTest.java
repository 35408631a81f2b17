package dev.patchgate.proxy.console.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FiltersTest {
  private static final Clock CLOCK = Clock.fixed(ConsoleFixtures.NOW, ZoneOffset.UTC);

  @Test
  void withoutSinceThePeriodIsTheLastSevenDays() {
    Filters filters = Filters.parse(Map.of(), CLOCK);

    assertThat(filters.since()).isEqualTo(Instant.parse("2026-11-17T12:00:00Z"));
    assertThat(filters.until()).isNull();
    assertThat(filters.page()).isEqualTo(1);
    assertThat(filters.limit()).isEqualTo(Filters.DEFAULT_LIMIT);
  }

  @Test
  void valuesAreReadAsTheCommandLineReadsThem() {
    Filters filters =
        Filters.parse(
            Map.of(
                "client", "10.10.1.5",
                "kb", "kb5034441,5034439",
                "entry", "emr-vendor",
                "host", "*.windowsupdate.com",
                "since", "2026-11-01",
                "until", "2026-11-02",
                "decision", "DENY",
                "page", "3",
                "limit", "50"),
            CLOCK);

    assertThat(filters.kbs()).containsExactly("KB5034441", "KB5034439");
    assertThat(filters.since()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(filters.until())
        .as("a date means through its end")
        .isEqualTo(Instant.parse("2026-11-03T00:00:00Z"));
    assertThat(filters.decision()).isEqualTo("deny");
    assertThat(filters.offset()).isEqualTo(100);
  }

  record Bad(String name, String value, String message) {
    @Override
    public String toString() {
      return name + "=" + value;
    }
  }

  static Stream<Bad> bad() {
    return Stream.of(
        new Bad("client", "his-pc-5", "client: 'his-pc-5' (expected: an IP address"),
        new Bad("kb", "50344", "kb: '50344' (expected: a KB number"),
        new Bad("since", "yesterday", "since: 'yesterday' (expected: a UTC date"),
        new Bad("until", "2026-13-01", "until: '2026-13-01'"),
        new Bad("host", "*.example/x", "host: '*.example/x'"),
        new Bad("decision", "maybe", "decision: 'maybe' (expected: allow, deny or error)"),
        new Bad("limit", "5000", "limit: '5000' (expected: a whole number from 1 to 1000)"),
        new Bad("page", "0", "page: '0'"),
        new Bad("client_ip", "10.0.0.1", "unknown filter 'client_ip' (expected: client, kb"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void aBadValueIsRefusedNamingTheParameter(Bad row) {
    assertThatThrownBy(() -> Filters.parse(Map.of(row.name(), row.value()), CLOCK))
        .isInstanceOf(BadFilterException.class)
        .hasMessageContaining(row.message());
  }

  @Test
  void anEmptyPeriodIsRefused() {
    assertThatThrownBy(
            () -> Filters.parse(Map.of("since", "2026-11-05", "until", "2026-11-01"), CLOCK))
        .isInstanceOf(BadFilterException.class)
        .hasMessageContaining("until must be after since");
  }
}
