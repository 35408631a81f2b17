package dev.patchgate.mirror;

import static dev.patchgate.mirror.ObjectClass.IMMUTABLE;
import static dev.patchgate.mirror.ObjectClass.INDEX;
import static dev.patchgate.mirror.ObjectClass.ORDINARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FreshnessPolicyTest {
  private static final String HEX = "0123456789abcdef0123456789abcdef01234567";

  static Stream<Arguments> storability() {
    return Stream.of(
        arguments("GET", 200, new String[] {"Content-Length", "10"}, null),
        // a chunked body: its end is seen by the proxy
        arguments("GET", 200, new String[] {"Transfer-Encoding", "chunked"}, null),
        // Vary on Accept-Encoding only, with an identity body, is harmless
        arguments(
            "GET",
            200,
            new String[] {
              "Content-Length", "1", "Vary", "Accept-Encoding", "Content-Encoding", "identity"
            },
            null),
        // Set-Cookie does not prevent storing (it is never replayed)
        arguments("GET", 200, new String[] {"Content-Length", "1", "Set-Cookie", "a=b"}, null),
        // no-cache may be stored (it is revalidated every time)
        arguments(
            "GET", 200, new String[] {"Content-Length", "1", "Cache-Control", "no-cache"}, null),
        arguments("HEAD", 200, new String[] {"Content-Length", "10"}, "method is not GET"),
        // a 206 fragment is never an object
        arguments(
            "GET",
            206,
            new String[] {"Content-Length", "10", "Content-Range", "bytes 0-9/100"},
            "status is not 200"),
        arguments("GET", 404, new String[] {"Content-Length", "10"}, "status is not 200"),
        arguments("GET", 304, new String[] {}, "status is not 200"),
        arguments(
            "GET",
            200,
            new String[] {"Content-Length", "1", "Cache-Control", "max-age=60, no-store"},
            "Cache-Control: no-store"),
        arguments(
            "GET",
            200,
            new String[] {"Content-Length", "1", "Cache-Control", "private=\"x, y\""},
            "Cache-Control: private"),
        arguments("GET", 200, new String[] {"Content-Length", "1", "Vary", "*"}, "Vary: *"),
        arguments(
            "GET",
            200,
            new String[] {"Content-Length", "1", "Vary", "Accept-Encoding, Cookie"},
            "Vary: a request field"),
        // the key is the URL alone: a gzip body would reach clients that did not ask for it
        arguments(
            "GET",
            200,
            new String[] {"Content-Length", "1", "Content-Encoding", "gzip"},
            "Content-Encoding"),
        arguments(
            "GET",
            200,
            new String[] {"Content-Length", "1", "Content-Range", "bytes 0-0/1"},
            "Content-Range on a 200"),
        // a close-delimited body cannot be told from a truncated one
        arguments("GET", 200, new String[] {}, "no Content-Length and not chunked"),
        arguments(
            "GET",
            200,
            new String[] {"Transfer-Encoding", "gzip"},
            "no Content-Length and not chunked"),
        arguments("GET", 200, new String[] {"Content-Length", "-1"}, "invalid Content-Length"),
        arguments("GET", 200, new String[] {"Content-Length", "1x"}, "invalid Content-Length"),
        arguments(
            "GET",
            200,
            new String[] {"Content-Length", "1", "Content-Length", "2"},
            "invalid Content-Length"),
        // the same length twice is one length
        arguments("GET", 200, new String[] {"Content-Length", "5, 5"}, null));
  }

  @ParameterizedTest
  @MethodSource("storability")
  void refusal_saysWhyAResponseIsNotStored(
      String method, int status, String[] headers, String reason) {
    assertThat(FreshnessPolicy.refusal(method, status, HeaderLookup.of(headers)))
        .isEqualTo(Optional.ofNullable(reason));
    assertThat(FreshnessPolicy.storable(method, status, HeaderLookup.of(headers)))
        .isEqualTo(reason == null);
  }

  static Stream<Arguments> classes() {
    return Stream.of(
        // a SHA-1 in the name
        arguments("http://download.windowsupdate.com:80/c/kb_" + HEX + ".cab", "", IMMUTABLE),
        // Debian and Ubuntu indexes
        arguments("http://deb.debian.org:80/debian/dists/bookworm/InRelease", "", INDEX),
        arguments("http://deb.debian.org:80/debian/dists/bookworm/Release", "", INDEX),
        arguments("http://deb.debian.org:80/debian/dists/bookworm/Release.gpg", "", INDEX),
        arguments(
            "http://deb.debian.org:80/debian/dists/bookworm/main/binary-amd64/Packages.xz",
            "",
            INDEX),
        arguments(
            "http://deb.debian.org:80/debian/dists/bookworm/main/source/Sources.gz", "", INDEX),
        arguments(
            "http://deb.debian.org:80/debian/dists/bookworm/main/Contents-amd64.gz", "", INDEX),
        arguments(
            "http://deb.debian.org:80/debian/dists/bookworm/main/i18n/Translation-en.bz2",
            "",
            INDEX),
        arguments(
            "http://deb.debian.org:80/debian/dists/sid/main/binary-amd64/Packages.diff/Index",
            "",
            INDEX),
        arguments(
            "http://mirror.example:80/rocky/9/BaseOS/x86_64/os/repodata/repomd.xml", "", INDEX),
        // Windows trust lists and catalogues, even under windowsupdate.com
        arguments(
            "http://ctldl.windowsupdate.com:80/msdownload/update/v3/static/trustedr/en/authrootstl.cab",
            "",
            INDEX),
        arguments(
            "http://ctldl.windowsupdate.com:80/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab",
            "",
            INDEX),
        arguments(
            "http://ctldl.windowsupdate.com:80/msdownload/update/v3/static/trustedr/en/pinrulesstl.cab",
            "",
            INDEX),
        arguments(
            "http://ctldl.windowsupdate.com:80/msdownload/update/v3/static/trustedr/en/authrootseq.txt",
            "",
            INDEX),
        arguments(
            "http://download.windowsupdate.com:80/microsoftupdate/v6/wsusscan/wsusscn2.cab",
            "",
            INDEX),
        arguments(
            "http://crl.microsoft.com:80/pki/crl/products/MicRooCerAut2011_2011_03_22.crl",
            "",
            INDEX),
        // content-addressed paths
        arguments(
            "http://deb.debian.org:80/debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/"
                + "ab".repeat(32),
            "",
            IMMUTABLE),
        arguments(
            "http://deb.debian.org:80/debian/pool/main/o/openssl/openssl_3.0.15-1_amd64.deb",
            "",
            IMMUTABLE),
        arguments(
            "http://7.tlu.dl.delivery.mp.microsoft.com:80/filestreamingservice/files/5b1e7e0b-0000-4000-8000-000000000000",
            "",
            IMMUTABLE),
        // the response says so
        arguments("http://vendor.example:80/patch.zip", "public, max-age=60, immutable", IMMUTABLE),
        // a hash-named file is immutable even if it looks like an index
        arguments("http://h:80/Packages_" + HEX + ".gz", "", IMMUTABLE),
        // a .cab without a hash under windowsupdate.com is ordinary, not immutable
        arguments("http://download.windowsupdate.com:80/v9/some/update.cab", "", ORDINARY),
        // a .deb outside /pool/, a name that merely contains "Release"
        arguments("http://vendor.example:80/downloads/tool.deb", "", ORDINARY),
        arguments("http://vendor.example:80/ReleaseNotes.html", "", ORDINARY),
        // a path segment that looks like an index, with a query
        arguments("http://vendor.example:80/Index?x=1", "", ORDINARY));
  }

  @ParameterizedTest
  @MethodSource("classes")
  void classify_namesImmutableAndIndexFiles(String url, String cacheControl, ObjectClass expected) {
    HeaderLookup response =
        cacheControl.isEmpty()
            ? HeaderLookup.none()
            : HeaderLookup.of("Cache-Control", cacheControl);

    assertThat(FreshnessPolicy.classify(url, response)).isEqualTo(expected);
  }

  private static final String ORDINARY_URL = "http://vendor.example:80/patch.zip";

  static Stream<Arguments> lifetimes() {
    String t0 = "Mon, 23 Nov 2026 10:00:00 GMT";
    return Stream.of(
        arguments(new String[] {"Cache-Control", "max-age=600"}, Duration.ofMinutes(10)),
        // s-maxage wins for a shared cache
        arguments(
            new String[] {"Cache-Control", "max-age=600, s-maxage=60"}, Duration.ofMinutes(1)),
        // max-age wins over Expires
        arguments(
            new String[] {"Cache-Control", "max-age=5", "Expires", "Mon, 23 Nov 2026 11:00:00 GMT"},
            Duration.ofSeconds(5)),
        // no-cache: always revalidate
        arguments(new String[] {"Cache-Control", "no-cache, max-age=600"}, Duration.ZERO),
        // an invalid max-age counts as stale
        arguments(new String[] {"Cache-Control", "max-age=soon"}, Duration.ZERO),
        // Expires minus Date (the response's Date is T0 here)
        arguments(new String[] {"Expires", "Mon, 23 Nov 2026 11:00:00 GMT"}, Duration.ofHours(1)),
        // Expires in the past, or invalid: already expired
        arguments(new String[] {"Expires", "Mon, 23 Nov 2026 09:00:00 GMT"}, Duration.ZERO),
        arguments(new String[] {"Expires", "0"}, Duration.ZERO),
        // heuristic: 10% of the time since Last-Modified
        arguments(
            new String[] {"Last-Modified", "Mon, 23 Nov 2026 00:00:00 GMT"},
            Duration.ofMinutes(60)),
        // capped at a day
        arguments(
            new String[] {"Last-Modified", "Thu, 23 Nov 2006 00:00:00 GMT"}, Duration.ofDays(1)),
        // Last-Modified after Date: nothing to go on
        arguments(new String[] {"Last-Modified", "Mon, 23 Nov 2026 11:00:00 GMT"}, Duration.ZERO),
        arguments(new String[] {"Last-Modified", t0}, Duration.ZERO),
        // nothing at all
        arguments(new String[] {}, Duration.ZERO));
  }

  @ParameterizedTest
  @MethodSource("lifetimes")
  void lifetime_ofAnOrdinaryObjectFollowsItsHeaders(String[] headers, Duration expected) {
    assertThat(FreshnessPolicy.lifetime(Metas.meta(ORDINARY_URL, headers), MirrorRules.DEFAULT))
        .isEqualTo(expected);
  }

  @Test
  void anEntrysMaxAgeOverridesTheHeadersOfOrdinaryObjectsOnly() {
    MirrorRules rules = new MirrorRules(true, false, Optional.of(Duration.ofHours(6)));

    assertThat(
            FreshnessPolicy.lifetime(Metas.meta(ORDINARY_URL, "Cache-Control", "no-cache"), rules))
        .isEqualTo(Duration.ofHours(6));
    assertThat(FreshnessPolicy.lifetime(Metas.meta("http://h:80/dists/x/InRelease"), rules))
        .isEqualTo(Duration.ZERO);
    assertThat(FreshnessPolicy.lifetime(Metas.meta("http://h:80/a_" + HEX + ".cab"), rules))
        .isEqualTo(FreshnessPolicy.FOREVER);
  }

  @Test
  void freshUntilTheAgeReachesTheLifetime() {
    StoredMeta meta = Metas.meta(ORDINARY_URL, "Cache-Control", "max-age=600");

    assertThat(FreshnessPolicy.fresh(meta, MirrorRules.DEFAULT, Metas.T0.plusSeconds(599)))
        .isTrue();
    assertThat(FreshnessPolicy.fresh(meta, MirrorRules.DEFAULT, Metas.T0.plusSeconds(600)))
        .isFalse();
  }

  @Test
  void theUpstreamsAgeCountsAgainstTheLifetime() {
    StoredMeta meta = Metas.meta(ORDINARY_URL, Metas.T0, 500, "Cache-Control", "max-age=600");

    assertThat(FreshnessPolicy.fresh(meta, MirrorRules.DEFAULT, Metas.T0.plusSeconds(99))).isTrue();
    assertThat(FreshnessPolicy.fresh(meta, MirrorRules.DEFAULT, Metas.T0.plusSeconds(100)))
        .isFalse();
  }

  @Test
  void initialAgeIsTheLargerOfAgeAndTheDateGap() {
    HeaderLookup response = HeaderLookup.of("Age", "30");

    assertThat(StoredMeta.initialAge(response, Metas.T0, Metas.T0.plusSeconds(10))).isEqualTo(30);
    assertThat(StoredMeta.initialAge(response, Metas.T0, Metas.T0.plusSeconds(50))).isEqualTo(50);
    assertThat(StoredMeta.initialAge(HeaderLookup.of("Age", "x"), Metas.T0, Metas.T0)).isZero();
  }
}
