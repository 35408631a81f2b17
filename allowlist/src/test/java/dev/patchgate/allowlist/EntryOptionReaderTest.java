package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EntryOptionReaderTest {
  private static final String ENTRY = "'e'";

  private final FileProblems problems = new FileProblems("allowlist.conf");
  private final AtomicInteger lookups = new AtomicInteger();
  private final ProfileCatalog catalog =
      new ProfileCatalog(
          name -> {
            lookups.incrementAndGet();
            return Optional.empty();
          },
          List::of);
  private final EntryOptionReader options = new EntryOptionReader(problems, catalog);

  @Test
  void absentKeys_giveEachKeysDefault_andNoProblem() {
    assertThat(options.readProfile(ENTRY, null)).isNull();
    assertThat(options.readMode(ENTRY, null)).isFalse();
    assertThat(options.readBoolean(ENTRY, "mirror", null, true)).isTrue();
    assertThat(options.readBoolean(ENTRY, "kb-files", null, false)).isFalse();
    assertThat(options.readMaxAge(ENTRY, null)).isEmpty();
    assertThat(problems.count()).isZero();
    assertThat(lookups).hasValue(0);
  }

  @Test
  void readProfile_namedByManyEntries_isLookedUpOnce() {
    assertThat(options.readProfile("'a'", KeyValues.value("vendor-x"))).isNull();
    assertThat(options.readProfile("'b'", KeyValues.value("vendor-x"))).isNull();

    assertThat(lookups).hasValue(1);
    assertThat(KeyValues.messages(problems))
        .containsExactly(
            "entry 'a': unknown profile 'vendor-x' (this patchgate ships no profiles; list the"
                + " hosts instead)",
            "entry 'b': unknown profile 'vendor-x' (this patchgate ships no profiles; list the"
                + " hosts instead)");
  }

  @Test
  void readMode_reportIsTrue_enforceIsFalse_anythingElseIsAProblem() {
    assertThat(options.readMode(ENTRY, KeyValues.value("report"))).isTrue();
    assertThat(options.readMode(ENTRY, KeyValues.value("enforce"))).isFalse();
    assertThat(options.readMode(ENTRY, KeyValues.value("true"))).isFalse();
    assertThat(KeyValues.messages(problems))
        .singleElement()
        .asString()
        .startsWith("entry 'e': mode 'true' is not");
  }

  @Test
  void readBoolean_aStringIsAProblem_andTheDefaultStays() {
    assertThat(options.readBoolean(ENTRY, "mirror", KeyValues.value("\"no\""), true)).isTrue();
    assertThat(KeyValues.messages(problems))
        .containsExactly("entry 'e': 'mirror' must be true or false, not 'no'");
  }

  @Test
  void readMaxAge_takesAPositiveDuration_andRefusesZero() {
    assertThat(options.readMaxAge(ENTRY, KeyValues.value("7d"))).contains(Duration.ofDays(7));
    assertThat(options.readMaxAge(ENTRY, KeyValues.value("0s"))).isEmpty();
    assertThat(KeyValues.messages(problems))
        .containsExactly(
            "entry 'e': 'mirror-max-age' must be a positive duration such as 1h or 7d, not '0s'");
  }
}
