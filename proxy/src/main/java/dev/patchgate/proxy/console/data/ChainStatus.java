package dev.patchgate.proxy.console.data;

import java.time.Instant;

/**
 * The audit log's hash chain as {@code audit verify} found it.
 *
 * @param state {@link State#OK}, {@link State#BROKEN}, or {@link State#UNKNOWN} when there was
 *     nothing to verify or the directory could not be read
 * @param records exchange records checked
 * @param file where it broke, or {@code ""}
 * @param line the line there, 0 when not broken
 * @param message what was found, or why the state is unknown; {@code ""} when intact
 * @param checkedAt when the chain was verified (the answer is cached for a short time)
 */
public record ChainStatus(
    State state, long records, String file, long line, String message, Instant checkedAt) {

  /** The chain's state. */
  public enum State {
    OK,
    BROKEN,
    UNKNOWN
  }
}
