package dev.patchgate.mirror;

import java.time.Instant;

/**
 * A {@code .meta} file's content: the object's meta, the data file it commits, and the access
 * record persisted lazily.
 */
record MetaRecord(StoredMeta meta, String dataName, Instant lastAccess, long hits) {}
