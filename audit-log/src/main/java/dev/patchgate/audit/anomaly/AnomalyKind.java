package dev.patchgate.audit.anomaly;

import dev.patchgate.audit.text.DisplayText;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of unusual traffic the anomaly report finds in the audit log, and the live watch raises
 * as it is written ({@link #live}). Each can be turned off in {@code patchgate.anomalies}.
 */
public enum AnomalyKind {
  /** A client asked for a host that neither it nor any client of its group asked for before. */
  NEW_DESTINATION("new_destination", "new-destination", true),
  /** A client was active in an hour of the week in which it never was before. */
  UNUSUAL_HOURS("unusual_hours", "unusual-hours", false),
  /** Denied requests from one client to one host at a steady beat: malware calling home. */
  BEACONING("beaconing", "beaconing", true),
  /** A client's denied requests in one hour, far above its own usual. */
  BURST("burst", "burst", true),
  /** Requests, again and again, for an entry outside its schedule window. */
  OUTSIDE_SCHEDULE("outside_schedule", "outside-schedule", false);

  private final String wireName;
  private final String configKey;
  private final boolean live;

  AnomalyKind(String wireName, String configKey, boolean live) {
    this.wireName = wireName;
    this.configKey = configKey;
    this.live = live;
  }

  /** The name in reports and in alerts ({@code anomaly_} and this): lower case, underscores. */
  public String wireName() {
    return wireName;
  }

  /** The kind's block under {@code patchgate.anomalies}. */
  public String configKey() {
    return configKey;
  }

  /**
   * Reads kinds separated by commas, each by its wire or config name, ignoring case.
   *
   * @throws IllegalArgumentException naming the first unknown one and the known ones
   */
  public static Set<AnomalyKind> parseAll(String text) {
    Set<AnomalyKind> kinds = EnumSet.noneOf(AnomalyKind.class);
    for (String each : text.split(",")) {
      String name = each.strip().toLowerCase(Locale.ROOT);
      AnomalyKind kind = null;
      for (AnomalyKind k : values()) {
        if (k.wireName.equals(name) || k.configKey.equals(name)) {
          kind = k;
        }
      }
      if (kind == null) {
        List<String> names = new ArrayList<>();
        for (AnomalyKind k : values()) {
          names.add(k.wireName);
        }
        throw new IllegalArgumentException(
            "'"
                + DisplayText.clean(each.strip())
                + "' (expected: "
                + String.join(", ", names)
                + ")");
      }
      kinds.add(kind);
    }
    return kinds;
  }

  /** True for the kinds the gateway also detects as records are written. */
  public boolean live() {
    return live;
  }
}
