package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntryListReaderTest {
  private static final String ENTRY = "'e'";

  private final FileProblems problems = new FileProblems("allowlist.conf");
  private final EntryListReader lists = new EntryListReader(problems, Set.of("his-pcs", "labs"));

  @Test
  void absentKeys_giveEachKeysDefault_andNoProblem() {
    assertThat(lists.readHosts(ENTRY, null)).isEmpty();
    assertThat(lists.readPorts(ENTRY, null)).isEmpty();
    assertThat(lists.readSchemes(ENTRY, null)).isEqualTo(EnumSet.allOf(Scheme.class));
    assertThat(lists.readMethods(ENTRY, null)).containsExactly("GET", "HEAD");
    assertThat(lists.readPaths(ENTRY, null)).isNull();
    assertThat(lists.readClients(ENTRY, null)).isNull();
    assertThat(lists.readSchedule(ENTRY, null)).isNull();
    assertThat(lists.readAddresses(ENTRY, null)).isEmpty();
    assertThat(problems.count()).isZero();
  }

  @Test
  void readPorts_keepsTheGoodElements_andReportsEachBadOne() {
    int[] ports = lists.readPorts(ENTRY, KeyValues.value("[80, \"81\", 70000, 1.5, 443]"));

    assertThat(ports).containsExactly(80, 443);
    assertThat(KeyValues.messages(problems))
        .containsExactly(
            "entry 'e': port '81' must be a number without quotes, e.g. ports = [8080]",
            "entry 'e': port '70000' is outside 1..65535",
            "entry 'e': port '1.5' must be a whole number from 1 to 65535");
  }

  @Test
  void readSchemes_withNoUsableScheme_fallsBackToBoth() {
    assertThat(lists.readSchemes(ENTRY, KeyValues.value("[ftp]")))
        .isEqualTo(EnumSet.allOf(Scheme.class));
    assertThat(KeyValues.messages(problems))
        .containsExactly(
            "entry 'e': scheme 'ftp' is not one of: http, https (https means CONNECT tunnels)");
  }

  @Test
  void readMethods_isCaseInsensitive_andNamesTheFixForConnect() {
    assertThat(lists.readMethods(ENTRY, KeyValues.value("[get, CONNECT]"))).containsExactly("GET");
    assertThat(KeyValues.messages(problems))
        .containsExactly(
            "entry 'e': method 'CONNECT' is not one of: GET, HEAD; tunnels are allowed with"
                + " schemes = [https]");
  }

  @Test
  void readClients_dropsRepeatedGroups_andSuggestsAKnownOne() {
    assertThat(lists.readClients(ENTRY, KeyValues.value("[his-pcs, labs, his-pcs, lab]")))
        .containsExactly("his-pcs", "labs");
    assertThat(KeyValues.messages(problems))
        .singleElement()
        .asString()
        .startsWith("entry 'e': unknown client group");
  }

  @Test
  void readSchedule_sameWindowsInTwoEntries_shareOneCompiledSchedule() {
    Schedule first = lists.readSchedule("'a'", KeyValues.value("[\"Mon-Fri 22:00-06:00\"]"));
    Schedule second = lists.readSchedule("'b'", KeyValues.value("[\"  Mon-Fri   22:00-06:00 \"]"));

    assertThat(first).isNotNull().isSameAs(second);
    assertThat(problems.count()).isZero();
  }

  @Test
  void readAddresses_refusesTheWholeAddressSpace() {
    assertThat(lists.readAddresses(ENTRY, KeyValues.value("[\"0.0.0.0/0\", \"10.20.0.0/24\"]")))
        .extracting(Cidr::toString)
        .containsExactly(Cidr.parse("10.20.0.0/24").toString());
    assertThat(KeyValues.messages(problems))
        .singleElement()
        .asString()
        .contains("this would switch the address check off for the entry");
  }
}
