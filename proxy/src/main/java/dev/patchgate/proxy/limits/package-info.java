/**
 * What one client, and all clients together, may take of the gateway: open connections ({@link
 * dev.patchgate.proxy.limits.ConnectionLimits}), counted and refused as they are accepted, before
 * LittleProxy reads a byte, so that a flood from one infected PC costs a closed socket and leaves
 * descriptors for everyone else, the audit log and the mirror.
 *
 * <p>It uses the allowlist (a client group's own limits) and the {@code exchange} package (the
 * audit record of a refusal); the wiring ({@code dev.patchgate.proxy}) uses it.
 */
package dev.patchgate.proxy.limits;
