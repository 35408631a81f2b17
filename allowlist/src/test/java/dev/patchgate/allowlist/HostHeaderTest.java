package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostHeaderTest {

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the spellings of the same host and port that must keep working
        "a.example          | http://a.example/x      | true",
        "A.EXAMPLE.         | http://a.example/x      | true",
        "a.example:80       | http://a.example/x      | true",
        "a.example:8080     | http://a.example:8080/x | true",
        "[::1]:8080         | http://[::1]:8080/x     | true",
        "a.example          | a.example:443           | true",
        "a.example:443      | a.example:443           | true",
        // host confusion: another host, or another port of the same host
        "b.example          | http://a.example/x      | false",
        "a.example:8080     | http://a.example/x      | false",
        "a.example          | http://a.example:8080/x | false",
        "a.example:8443     | a.example:443           | false",
        // a header a URL parser would cut short to a matching prefix
        "a.example/evil     | http://a.example/x      | false",
        "a.example?x        | http://a.example/x      | false",
        "a.example#x        | http://a.example/x      | false",
        "user@a.example     | http://a.example/x      | false",
        "a.example\\@b      | http://a.example/x      | false",
        // alternate spellings of an address name another host as far as the policy knows
        "2130706433         | http://127.0.0.1/x      | false",
        "a.example:         | http://a.example/x      | false",
      })
  void hostHeaderNames_matchesOnlyTheSameCanonicalHostAndPort(
      String header, String target, boolean expected) throws Exception {
    Target parsed =
        target.startsWith("http://")
            ? TargetParser.parseAbsolute(target)
            : TargetParser.parseConnect(target);

    assertThat(TargetParser.hostHeaderNames(header, parsed)).isEqualTo(expected);
  }
}
