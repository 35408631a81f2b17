package dev.patchgate.audit.report;

import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Which downloads the patch report may read a KB number from. A file name alone proves nothing: any
 * allowed host can serve a file called {@code windows10.0-kb5034441-x64.cab}, and crediting it
 * would make that KB look installed. The caller knows which hosts and allowlist entries are to be
 * trusted (the audit log does not know the allowlist), and says so here.
 *
 * <p>Implementations must be thread-safe and must not throw.
 */
public interface KbSources {
  /**
   * Whether a file served by {@code host}, allowed by the entry named {@code entry}, may take the
   * KB number in its name.
   *
   * @param host the record's {@code host}; may be null
   * @param entry the record's {@code entry}; may be null
   */
  boolean mayNameKb(String host, String entry);

  /**
   * Where KB numbers are read from, in words, for the report's notes, e.g. "files from the hosts of
   * the Microsoft update profiles".
   */
  String description();

  /**
   * Sources from a predicate and its description.
   *
   * @throws NullPointerException if either is null
   */
  static KbSources of(String description, BiPredicate<String, String> mayNameKb) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(mayNameKb, "mayNameKb");
    return new KbSources() {
      @Override
      public boolean mayNameKb(String host, String entry) {
        return mayNameKb.test(host, entry);
      }

      @Override
      public String description() {
        return description;
      }
    };
  }
}
