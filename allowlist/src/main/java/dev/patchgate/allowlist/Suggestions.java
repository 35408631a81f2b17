package dev.patchgate.allowlist;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" for misspelt keys, group, profile and zone names: the closest known name within a
 * small edit distance, so {@code host} suggests {@code hosts} but {@code foo} suggests nothing.
 */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code typed}, ignoring case, treating {@code _} as {@code -} and
   * singular as plural ({@code entry} is {@code entries}); the first in iteration order on a tie;
   * null when none is within 1 edit (for up to 3 characters) or 2 edits (for longer names).
   */
  static String closest(String typed, Collection<String> candidates) {
    String wanted = normalise(typed);
    int limit = wanted.length() <= 3 ? 1 : 2;
    String best = null;
    int bestDistance = limit + 1;
    for (String candidate : candidates) {
      int distance = distance(wanted, normalise(candidate), bestDistance);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** {@code "; did you mean 'hosts'?"}, or {@code ""} when nothing is close. */
  static String didYouMean(String typed, Collection<String> candidates) {
    String closest = closest(typed, candidates);
    return closest == null || closest.equals(typed)
        ? ""
        : "; did you mean " + AllowlistReader.quote(closest) + "?";
  }

  private static String normalise(String name) {
    String word = name.toLowerCase(Locale.ROOT).replace('_', '-');
    if (word.endsWith("ies")) {
      return word.substring(0, word.length() - 3) + "y";
    }
    return word.endsWith("s") && word.length() > 3 ? word.substring(0, word.length() - 1) : word;
  }

  /** Levenshtein distance, or any value of at least {@code cap} once it cannot be below it. */
  private static int distance(String a, String b, int cap) {
    if (Math.abs(a.length() - b.length()) >= cap) {
      return cap;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMin = current[0];
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (rowMin >= cap) {
        return cap;
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
