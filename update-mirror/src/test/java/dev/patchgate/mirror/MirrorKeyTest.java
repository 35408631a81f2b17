package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MirrorKeyTest {
  static Stream<Arguments> urls() {
    return Stream.of(
        arguments("http://example.com:80/a?b=1", false, "http://example.com:80/a?b=1"),
        // the port is made explicit
        arguments("http://example.com/a", false, "http://example.com:80/a"),
        // the authority is lower-cased, the path is not
        arguments("http://Example.COM:8080/A/B", false, "http://example.com:8080/A/B"),
        // IPv6 literal without and with a port
        arguments("http://[fd00::50]/x", false, "http://[fd00::50]:80/x"),
        arguments("http://[fd00::50]:8080/x", false, "http://[fd00::50]:8080/x"),
        // no path
        arguments("http://example.com:80", false, "http://example.com:80/"),
        arguments("http://example.com?q", false, "http://example.com:80/?q"),
        // dropQuery: CDN tokens leave the key
        arguments("http://cdn.example:80/f.cab?P1=1&P2=2", true, "http://cdn.example:80/f.cab"),
        arguments("http://cdn.example:80/f.cab", true, "http://cdn.example:80/f.cab"));
  }

  @ParameterizedTest
  @MethodSource("urls")
  void of_normalisesTheAuthorityAndKeepsPathAndQuery(String url, boolean dropQuery, String key) {
    MirrorKey k = MirrorKey.of(url, dropQuery);

    assertThat(k.url()).isEqualTo(key);
    assertThat(k.hex()).isEqualTo(Hex.sha256(key)).hasSize(64);
  }

  @Test
  void sameObjectUnderBothSpellingsIsOneKey() {
    assertThat(MirrorKey.of("http://EXAMPLE.com/a", false))
        .isEqualTo(MirrorKey.of("http://example.com:80/a", false));
  }

  @Test
  void queriesThatDifferAreDifferentKeysUnlessDropped() {
    assertThat(MirrorKey.of("http://h/a?x=1", false))
        .isNotEqualTo(MirrorKey.of("http://h/a?x=2", false));
    assertThat(MirrorKey.of("http://h/a?x=1", true))
        .isEqualTo(MirrorKey.of("http://h/a?x=2", true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.com/a",
        "ftp://example.com/a",
        "example.com/a",
        "http:///a",
        "http://:80/a",
        "http://user@example.com/a",
        "http://example.com/a#frag",
        "http://example.com/a b",
        "http://example.com/a\nb",
        "http://example.com/\u00e9"
      })
  void of_refusesWhatIsNotACanonicalHttpUrl(String url) {
    assertThatThrownBy(() -> MirrorKey.of(url, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("url: ");
  }
}
