package dev.patchgate.proxy.cli;

import java.io.PrintStream;

/**
 * Where a command writes: results to {@code out}; progress, refusals and usage errors to {@code
 * err}.
 *
 * @param interactive {@code err} is a terminal a person watches, so progress may be redrawn in
 *     place (prefetch's progress bar); false for files, pipes and tests
 */
record Terminal(PrintStream out, PrintStream err, boolean interactive) {}
