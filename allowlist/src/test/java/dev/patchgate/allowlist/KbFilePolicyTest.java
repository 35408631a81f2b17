package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 10, finding 11: which downloads the patch report may read KB numbers from. */
class KbFilePolicyTest {
  private static final String ALLOWLIST =
      """
      entries {
        windows-update { profile = windows-update }
        his-mirror     { hosts = ["files.example.net"], schemes = [http] }
        vendor-kb      { hosts = ["patches.vendor.example", "*.cdn.vendor.example"], kb-files = true }
        vendor-off     { hosts = ["other.vendor.example"], kb-files = false }
      }
      """;

  static Stream<Arguments> microsoftProfileHosts() {
    return Stream.of(
        // windows-update and wsus-upstream payloads
        arguments("download.windowsupdate.com", true),
        arguments("au.download.windowsupdate.com", true),
        arguments("7.tlu.dl.delivery.mp.microsoft.com", true),
        // microsoft-update-catalog
        arguments("catalog.s.download.windowsupdate.com", true),
        // microsoft-defender
        arguments("definitionupdates.microsoft.com", true),
        // case and one trailing dot, as a record could spell them
        arguments("Download.WindowsUpdate.com.", true),
        // any other host serving a file called kb5034441.cab
        arguments("files.example.net", false),
        // suffix confusion
        arguments("windowsupdate.com.evil.example", false),
        arguments("evilwindowsupdate.com", false),
        // listed by microsoft-defender for its certificate paths only, never the whole host
        arguments("www.microsoft.com", false),
        // a host of another vendor's profile
        arguments("update.eset.com", false),
        // a record without a host
        arguments(null, false),
        arguments("", false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("microsoftProfileHosts")
  void onlyTheHostsOfTheMicrosoftUpdateProfilesNameKbNumbers(String host, boolean names) {
    assertThat(KbFilePolicy.microsoftProfiles().mayNameKb(host, "any-entry")).isEqualTo(names);
  }

  static Stream<Arguments> entriesOfTheAllowlist() {
    return Stream.of(
        // a Microsoft host, whichever entry allowed it
        arguments("download.windowsupdate.com", "windows-update", true),
        arguments("download.windowsupdate.com", "his-mirror", true),
        // an entry with kb-files = true, on its own hosts
        arguments("patches.vendor.example", "vendor-kb", true),
        arguments("a.cdn.vendor.example", "vendor-kb", true),
        // an entry without kb-files, or with kb-files = false
        arguments("files.example.net", "his-mirror", false),
        arguments("other.vendor.example", "vendor-off", false),
        // the kb-files entry's name on a record of a host it does not list (renamed or re-pointed)
        arguments("files.example.net", "vendor-kb", false),
        // the kb-files entry's host allowed by another entry
        arguments("patches.vendor.example", "his-mirror", false),
        arguments("patches.vendor.example", null, false),
        // an entry the allowlist does not have
        arguments("patches.vendor.example", "vendor-kb-old", false));
  }

  @ParameterizedTest(name = "{0} by {1} -> {2}")
  @MethodSource("entriesOfTheAllowlist")
  void anEntryWithKbFilesNamesKbNumbersForItsOwnHosts(String host, String entry, boolean names)
      throws AllowlistException {
    KbFilePolicy policy = KbFilePolicy.of(Allowlist.parse(ALLOWLIST, "allowlist.conf"));

    assertThat(policy.mayNameKb(host, entry)).isEqualTo(names);
  }

  @Test
  void kbFilesIsOffUnlessAnEntrySaysTrue() throws AllowlistException {
    KbFilePolicy policy = KbFilePolicy.of(Allowlist.parse(ALLOWLIST, "allowlist.conf"));

    assertThat(policy.kbFileEntries()).containsExactly("vendor-kb");
  }

  @Test
  void aProfileEntryWithKbFilesCoversTheProfilesHosts() throws AllowlistException {
    KbFilePolicy policy =
        KbFilePolicy.of(
            Allowlist.parse(
                "entries { av { profile = eset, kb-files = true } }", "allowlist.conf"));

    assertThat(policy.mayNameKb("update.eset.com", "av")).isTrue();
  }
}
