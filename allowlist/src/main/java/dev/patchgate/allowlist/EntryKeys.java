package dev.patchgate.allowlist;

import java.util.List;

/** The keys an allowlist entry may set, as the file spells them. */
final class EntryKeys {
  static final String PROFILE = "profile";
  static final String HOSTS = "hosts";
  static final String PORTS = "ports";
  static final String SCHEMES = "schemes";
  static final String METHODS = "methods";
  static final String PATHS = "paths";
  static final String CLIENTS = "clients";
  static final String SCHEDULE = "schedule";
  static final String ADDRESSES = "addresses";
  static final String MODE = "mode";
  static final String SNI_CHECK = "sni-check";
  static final String MIRROR = "mirror";
  static final String MIRROR_DROP_QUERY = "mirror-drop-query";
  static final String MIRROR_MAX_AGE = "mirror-max-age";
  static final String KB_FILES = "kb-files";
  static final String UPSTREAM = "upstream";

  /** Every key, in the order messages list them. */
  static final List<String> KEYS =
      List.of(
          PROFILE,
          HOSTS,
          PORTS,
          SCHEMES,
          METHODS,
          PATHS,
          CLIENTS,
          SCHEDULE,
          ADDRESSES,
          MODE,
          SNI_CHECK,
          MIRROR,
          MIRROR_DROP_QUERY,
          MIRROR_MAX_AGE,
          KB_FILES,
          UPSTREAM);

  /** The smallest useful entry body, for messages that show one. */
  static final String HOSTS_EXAMPLE = "hosts = [\"updates.example.com\"]";

  private EntryKeys() {}
}
