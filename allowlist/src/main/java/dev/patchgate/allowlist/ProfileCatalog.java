package dev.patchgate.allowlist;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where an allowlist's {@code profile = NAME} is looked up: patchgate's shipped {@link Profiles} in
 * production, a fixed list in tests (so they do not depend on the shipped data).
 *
 * @param lookup finds a profile by name
 * @param all every profile, for the list of known names in a problem message
 */
record ProfileCatalog(Function<String, Optional<Profile>> lookup, Supplier<List<Profile>> all) {

  /** The profiles shipped inside patchgate. */
  static ProfileCatalog shipped() {
    return new ProfileCatalog(Profiles::find, Profiles::all);
  }

  /** Exactly these profiles. */
  static ProfileCatalog of(Profile... profiles) {
    List<Profile> list = List.of(profiles);
    return new ProfileCatalog(
        name -> list.stream().filter(p -> p.name().equals(name)).findFirst(), () -> list);
  }

  Optional<Profile> find(String name) {
    return lookup.apply(name);
  }

  /** The names of every profile. */
  List<String> names() {
    return all.get().stream().map(Profile::name).toList();
  }
}
