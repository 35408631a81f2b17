package dev.patchgate.proxy.mirror;

/**
 * How the mirror's part of a request ended.
 *
 * <p>Public for the request path, which forwards or drops the request by it.
 */
public enum MirrorResult {
  /**
   * The mirror answered the client (a stored copy, a followed fill, the fetch's own answer or the
   * gateway's 502), or the connection closed meanwhile: the request is not forwarded.
   */
  SERVED,
  /** The mirror did not answer: the request goes on to be forwarded as usual. */
  FORWARD
}
