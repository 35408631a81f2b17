package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContentHashNameTest {
  private static final String HEX = "0123456789abcdef0123456789abcdef01234567";

  static Stream<Arguments> names() {
    return Stream.of(
        // the Windows Update form
        arguments(
            "http://download.windowsupdate.com:80/c/msdownload/update/software/secu/2024/01/"
                + "windows10.0-kb5034441-x64_"
                + HEX
                + ".cab",
            HEX),
        // upper-case hex is reported lower-case
        arguments("http://h:80/a_" + HEX.toUpperCase(java.util.Locale.ROOT) + ".msu", HEX),
        // the query is not part of the name
        arguments("http://h:80/a_" + HEX + ".exe?P1=token&x=_" + HEX + ".cab", HEX),
        // a bare path works too
        arguments("/dir/a_" + HEX + ".psf", HEX),
        // several underscores: the last group before the extension counts
        arguments("http://h:80/a_b_c_" + HEX + ".esd", HEX),
        // only the last path segment counts
        arguments("http://h:80/a_" + HEX + ".cab/readme.txt", null),
        // 39 hex digits
        arguments("http://h:80/a_" + HEX.substring(1) + ".cab", null),
        // 41 hex digits
        arguments("http://h:80/a_f" + HEX + ".cab", null),
        // no underscore before the hex
        arguments("http://h:80/a" + HEX + ".cab", null),
        // no extension
        arguments("http://h:80/a_" + HEX, null),
        // a double extension is not `.<ext>`
        arguments("http://h:80/a_" + HEX + ".tar.gz", null),
        // not hex
        arguments("http://h:80/a_" + HEX.replace('a', 'g') + ".cab", null),
        // the hash is in the query only
        arguments("http://h:80/a.cab?_" + HEX + ".cab", null),
        // empty and root
        arguments("http://h:80/", null),
        arguments("", null));
  }

  @ParameterizedTest
  @MethodSource("names")
  void expectedSha1_isTheHexBeforeTheExtensionOfTheLastSegment(String url, String expected) {
    assertThat(ContentHashName.expectedSha1(url)).isEqualTo(Optional.ofNullable(expected));
  }
}
