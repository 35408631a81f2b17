package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** The key combinations an entry refuses, read straight from EntryReader. */
class EntryReaderTest {
  private final FileProblems problems = new FileProblems("a.conf");
  private final EntryReader reader = new EntryReader(problems, null, null, ProfileCatalog.of());

  private Entry read(String body) {
    ConfigValue value = ConfigFactory.parseString("x { " + body + " }").root().get("x");
    return reader.read("x", value, 0);
  }

  @Test
  void read_mirrorKeysOnATunnelOnlyEntry_areEachRefused() {
    Entry entry =
        read(
            "hosts = [\"u.example\"], schemes = [https], mirror = false,"
                + " mirror-drop-query = true, mirror-max-age = 1d");

    assertThat(entry).isNull();
    assertThat(KeyValues.messages(problems))
        .containsExactly(
            "entry 'x': 'mirror' applies to plain HTTP downloads only (tunnels are never"
                + " mirrored), but the entry's schemes are [https]; remove it",
            "entry 'x': 'mirror-drop-query' applies to plain HTTP downloads only (tunnels are"
                + " never mirrored), but the entry's schemes are [https]; remove it",
            "entry 'x': 'mirror-max-age' applies to plain HTTP downloads only (tunnels are never"
                + " mirrored), but the entry's schemes are [https]; remove it");
  }

  @Test
  void read_keysForTheSchemesTheEntryServes_areAccepted() {
    Entry entry =
        read(
            "hosts = [\"u.example\"], schemes = [http, https], methods = [GET], paths = [\"/u/\"],"
                + " mirror = true, kb-files = true, sni-check = true");

    assertThat(KeyValues.messages(problems)).isEmpty();
    assertThat(entry).isNotNull();
  }
}
