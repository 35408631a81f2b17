package dev.patchgate.mirror;

import java.io.IOException;

/** The usable bytes of the store's file system; a seam so tests can fill the disk. */
@FunctionalInterface
interface UsableSpace {
  long bytes() throws IOException;
}
