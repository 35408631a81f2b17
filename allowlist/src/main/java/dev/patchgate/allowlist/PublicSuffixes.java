package dev.patchgate.allowlist;

import java.util.Set;

/**
 * A deliberately small stand-in for the Public Suffix List: the two-label suffixes such as {@code
 * co.jp} or {@code com.au} under which anybody can register a domain. A wildcard over one of them
 * ({@code *.co.jp}) would allow every company in a country, so the allowlist refuses it.
 *
 * <p>The rule is a second-level label from {@link #SECOND_LEVEL} under any two-letter country code.
 * It misses rarer registries ({@code *.gv.at}, {@code *.blogspot.com}), which is acceptable: it is
 * a guard against the common slip, not a policy engine, and a wildcard still has to be written on
 * purpose by an administrator.
 */
final class PublicSuffixes {
  /** Second-level labels that countries commonly open to public registration. */
  private static final Set<String> SECOND_LEVEL =
      Set.of("co", "com", "net", "org", "ac", "go", "ne", "or", "gov", "edu");

  private PublicSuffixes() {}

  /** True when a canonical name is a two-label public suffix such as {@code co.jp}. */
  static boolean isTwoLabelPublicSuffix(String name) {
    int dot = name.indexOf('.');
    if (dot < 0 || name.indexOf('.', dot + 1) >= 0) {
      return false;
    }
    String countryCode = name.substring(dot + 1);
    return countryCode.length() == 2 && SECOND_LEVEL.contains(name.substring(0, dot));
  }
}
