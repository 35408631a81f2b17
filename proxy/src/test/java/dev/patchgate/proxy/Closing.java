package dev.patchgate.proxy;

/** Closes a test's browser and servers in order, each even when one before it failed to close. */
final class Closing {
  private Closing() {}

  /** Closes each part that was started (null: it was not); throws the first failure, if any. */
  static void all(AutoCloseable... parts) throws Exception {
    Exception first = null;
    for (AutoCloseable part : parts) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
