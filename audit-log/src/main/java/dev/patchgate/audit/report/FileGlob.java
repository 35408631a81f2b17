package dev.patchgate.audit.report;

import java.util.regex.Pattern;

/**
 * A {@code --file} pattern: a glob on a download's file name ({@code *} any run of characters,
 * {@code ?} one), ignoring case, for vendors whose files carry no KB number. Immutable.
 */
final class FileGlob {
  private final Pattern pattern;
  private final String text;

  private FileGlob(Pattern pattern, String text) {
    this.pattern = pattern;
    this.text = text;
  }

  /**
   * Reads a {@code --file} argument.
   *
   * @throws IllegalArgumentException when it is blank or contains a slash
   */
  static FileGlob parse(String argument) {
    String glob = argument.strip();
    if (glob.isEmpty() || glob.contains("/")) {
      throw new IllegalArgumentException(
          "--file: '" + argument + "' (expected: a file name pattern such as his-client-*.msi)");
    }
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new FileGlob(
        Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), glob);
  }

  /** Whether {@code fileName} matches the whole pattern. */
  boolean matches(String fileName) {
    return pattern.matcher(fileName).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
