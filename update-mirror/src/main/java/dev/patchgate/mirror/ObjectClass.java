package dev.patchgate.mirror;

/** How the freshness rules treat an object; see {@link FreshnessPolicy#classify}. */
public enum ObjectClass {
  /** Its URL names its content (a hash in the name, a content id): served without revalidation. */
  IMMUTABLE,
  /** A repository index or trust list: revalidated on every request. */
  INDEX,
  /** Anything else: fresh as long as the upstream's headers (or the entry's max-age) say. */
  ORDINARY
}
