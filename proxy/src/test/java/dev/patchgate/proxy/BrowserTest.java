package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The browser tests fail, never skip, where Chromium is missing, and say what to install. */
class BrowserTest {
  @Test
  void aMissingBrowserFailsWithWhatToInstall() {
    assertThatThrownBy(() -> Browser.requireInstalled(Path.of("/nonexistent/chromium")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("/nonexistent/chromium is missing")
        .hasMessageContaining(
            "apt-get install -y --no-install-recommends chromium chromium-driver");
  }
}
