package dev.patchgate.proxy.config;

import dev.patchgate.mirror.MirrorSettings;
import java.util.Objects;

/**
 * The mirror as configured: {@link On} with the store's settings, or {@link Off} ({@code
 * mirror.enabled = false}); never null, like {@code AlertSettings.disabled()}.
 *
 * <p>Public for the gateway's wiring and the command line.
 */
public sealed interface MirrorSwitch {

  /** The mirror is on; {@code settings} says where and how big. */
  record On(MirrorSettings settings) implements MirrorSwitch {
    public On {
      Objects.requireNonNull(settings, "settings");
    }
  }

  /** The mirror is off: every request passes through, nothing is stored. */
  record Off() implements MirrorSwitch {}

  /** The switch of a gateway without a mirror. */
  static MirrorSwitch off() {
    return new Off();
  }
}
