package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.allowlist.Allowlist;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PolicyReload#reloadNow}, the SIGHUP path, with a poll interval of an hour so that only the
 * request reads the file.
 */
class PolicyReloadTest {
  private static final Duration NO_POLL = Duration.ofHours(1);
  private static final String ONE = "entries { a { hosts = [\"a.example.test\"] } }\n";
  private static final String TWO =
      "entries {\n  a { hosts = [\"a.example.test\"] }\n  b { hosts = [\"b.example.test\"] }\n}\n";

  @TempDir Path dir;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private PolicyReload policy;

  @AfterEach
  void close() {
    if (policy != null) {
      policy.close();
    }
  }

  @Test
  void reloadNow_takesAJustSavedEditAtOnce_andAppliesItOnce() throws Exception {
    Path file = write(ONE);
    policy = PolicyReload.watch(file, Allowlist.load(file), NO_POLL, registry);
    Files.writeString(file, TWO);

    policy.reloadNow("test");

    // No second look: a poll would have waited for the same stamp twice.
    assertThat(policy.get().size()).isEqualTo(2);
    assertThat(count("ok")).isEqualTo(1);

    policy.reloadNow("test");

    assertThat(policy.get().size()).isEqualTo(2);
    assertThat(count("ok")).isEqualTo(1);
  }

  @Test
  void reloadNow_withAnInvalidFile_keepsThePreviousPolicyAndCountsOneRejection() throws Exception {
    Path file = write(TWO);
    policy = PolicyReload.watch(file, Allowlist.load(file), NO_POLL, registry);
    Allowlist before = policy.get();
    Files.writeString(file, "entries { a { hosts = [\"*.com\"] } }\n");

    policy.reloadNow("test");
    policy.reloadNow("test");

    assertThat(policy.get()).isSameAs(before);
    assertThat(count("rejected")).isEqualTo(1);
    assertThat(registry.get(PolicyReload.VALID).gauge().value()).isZero();
  }

  @Test
  void reloadNow_afterClose_readsNothing() throws Exception {
    Path file = write(ONE);
    policy = PolicyReload.watch(file, Allowlist.load(file), NO_POLL, registry);
    policy.close();
    Files.writeString(file, TWO);

    policy.reloadNow("test");

    assertThat(policy.get().size()).isEqualTo(1);
    assertThat(count("ok")).isZero();
  }

  private Path write(String allowlist) throws Exception {
    Path file = dir.resolve("allowlist.conf");
    Files.writeString(file, allowlist);
    return file;
  }

  private double count(String result) {
    return registry.get(PolicyReload.RELOADS).tag("result", result).counter().count();
  }
}
