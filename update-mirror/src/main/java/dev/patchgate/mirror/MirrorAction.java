package dev.patchgate.mirror;

/** What the proxy does with a mirrorable request; see {@link MirrorStrategy#decide}. */
public enum MirrorAction {
  /** Serve the stored object (audit {@code cache: hit}). */
  SERVE,
  /** Serve the stored object although it is due for revalidation (audit {@code cache: stale}). */
  SERVE_STALE,
  /**
   * Send the upstream the decision's conditional request: {@code 304} → {@link
   * MirrorStore#revalidated} and serve; {@code 200} → replace the object through a fill; see {@link
   * MirrorStrategy#afterRevalidation}.
   */
  REVALIDATE,
  /** Not stored: fetch it through {@link MirrorStore#fill} (audit {@code cache: miss}). */
  FILL,
  /** Leave the mirror out: forward the request as it is (audit {@code cache: bypass}). */
  BYPASS
}
