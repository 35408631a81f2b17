package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
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

  private static ConfigValue value(String hocon) {
    return ConfigFactory.parseString("k = " + hocon).root().get("k");
  }

  private List<String> messages() {
    return problems.sorted().stream().map(Problem::message).toList();
  }

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
    assertThat(options.readProfile("'a'", value("vendor-x"))).isNull();
    assertThat(options.readProfile("'b'", value("vendor-x"))).isNull();

    assertThat(lookups).hasValue(1);
    assertThat(messages())
        .containsExactly(
            "entry 'a': unknown profile 'vendor-x' (this patchgate ships no profiles; list the"
                + " hosts instead)",
            "entry 'b': unknown profile 'vendor-x' (this patchgate ships no profiles; list the"
                + " hosts instead)");
  }

  @Test
  void readMode_reportIsTrue_enforceIsFalse_anythingElseIsAProblem() {
    assertThat(options.readMode(ENTRY, value("report"))).isTrue();
    assertThat(options.readMode(ENTRY, value("enforce"))).isFalse();
    assertThat(options.readMode(ENTRY, value("true"))).isFalse();
    assertThat(messages()).singleElement().asString().startsWith("entry 'e': mode 'true' is not");
  }

  @Test
  void readBoolean_aStringIsAProblem_andTheDefaultStays() {
    assertThat(options.readBoolean(ENTRY, "mirror", value("\"no\""), true)).isTrue();
    assertThat(messages()).containsExactly("entry 'e': 'mirror' must be true or false, not 'no'");
  }

  @Test
  void readMaxAge_takesAPositiveDuration_andRefusesZero() {
    assertThat(options.readMaxAge(ENTRY, value("7d"))).contains(Duration.ofDays(7));
    assertThat(options.readMaxAge(ENTRY, value("0s"))).isEmpty();
    assertThat(messages())
        .containsExactly(
            "entry 'e': 'mirror-max-age' must be a positive duration such as 1h or 7d, not '0s'");
  }
}
