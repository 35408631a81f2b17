package dev.patchgate.proxy.console.users;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a console user may do: an admin sees everything, a vendor only their entries and groups. */
public enum Role {
  ADMIN,
  VENDOR;

  /** The name in the users file and on the command line: {@code admin}, {@code vendor}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role {@code wireName} names, exactly as {@link #wireName} writes it. */
  public static Optional<Role> of(String wireName) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(wireName)).findFirst();
  }
}
