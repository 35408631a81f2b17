package dev.patchgate.proxy.config;

import java.time.Duration;

/**
 * How much of the gateway one client, and all clients together, may hold open, and how long a
 * connection may take to send a request head: what keeps one infected PC from taking the gateway
 * down for the whole hospital.
 *
 * @param perClient open connections one client address may have at once, unless a client group of
 *     the allowlist's {@code limits} block sets its own
 * @param total open client connections in all; {@code 0}: derived from the process's file limit
 *     when the gateway starts
 * @param requestHeader from accept (the first request) or from the request's first byte (later ones
 *     on a kept-alive connection) to the end of its head, however slowly the bytes come
 *     <p>Public for the gateway's wiring.
 */
public record ConnectionSettings(int perClient, int total, Duration requestHeader) {
  /** The most either limit may be set to. */
  public static final int MAX = 1_000_000;

  /** {@link #total} when it is to be derived from the file limit. */
  public static final int DERIVED = 0;
}
