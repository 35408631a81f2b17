/**
 * The command line: {@code run}, {@code check-config}, {@code explain}, {@code profiles}, {@code
 * audit} and {@code mirror}, each ending in one clear line and a documented exit code, never a
 * stack trace.
 *
 * <p>The top of the module: it starts the gateway and calls the allowlist's, the audit log's and
 * the mirror store's own commands and reports. Nothing in {@code dev.patchgate.proxy} uses it.
 */
package dev.patchgate.proxy.cli;
