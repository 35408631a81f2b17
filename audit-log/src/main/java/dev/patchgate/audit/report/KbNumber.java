package dev.patchgate.audit.report;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Microsoft Knowledge Base number in a Windows Update file name, e.g. {@code
 * windows10.0-kb5034441-x64_<sha1>.cab} is {@code KB5034441}. Stateless.
 */
public final class KbNumber {
  // Six or seven digits, not glued to a longer run of letters or digits on either side.
  private static final Pattern KB = Pattern.compile("(?<![a-z0-9])kb(\\d{6,7})(?!\\d)");
  private static final Pattern ARGUMENT = Pattern.compile("(?:kb)?(\\d{6,7})");

  private KbNumber() {}

  /** The KB number named in {@code fileName}, upper case ({@code KB5034441}), if any. */
  static Optional<String> in(String fileName) {
    Matcher m = KB.matcher(fileName.toLowerCase(Locale.ROOT));
    return m.find() ? Optional.of("KB" + m.group(1)) : Optional.empty();
  }

  /**
   * Reads a {@code --kb} argument: {@code KB5034441}, {@code kb5034441} or {@code 5034441}.
   *
   * @throws IllegalArgumentException with a message for the user otherwise
   */
  public static String parse(String argument) {
    Matcher m = ARGUMENT.matcher(argument.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--kb: '" + argument + "' (expected: a KB number such as KB5034441)");
    }
    return "KB" + m.group(1);
  }
}
