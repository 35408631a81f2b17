package dev.patchgate.proxy.request;

import java.net.InetAddress;

/**
 * What the admission steps concluded about one request, before the mirror or LittleProxy sees it.
 * The exchange holds the same outcome for the record; this says what the stage does next.
 */
sealed interface AdmissionResult {

  /**
   * The gateway answers the request itself with {@code reason} (its form, the allowlist, the
   * address, the audit log or a host without address); the mirror may still stand in for a 502.
   */
  record Refused(int status, String reason) implements AdmissionResult {}

  /** Allowed, and {@code address} is checked and pinned: the only address ever dialled for it. */
  record Pinned(InetAddress address) implements AdmissionResult {}

  /**
   * Allowed, and the parent proxies carry it without a lookup here ({@code resolve = parent}): the
   * parent resolves the name.
   */
  record ToParent() implements AdmissionResult {}

  /** A request for the PAC file, which the gateway answers itself. */
  record AutoConfig() implements AdmissionResult {}

  /** Allowed so far: {@code host} must be looked up, off the event loop, before it goes on. */
  record NeedsLookup(String host) implements AdmissionResult {}
}
