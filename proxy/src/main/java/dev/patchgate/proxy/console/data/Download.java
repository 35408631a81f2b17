package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.report.DownloadRow;

/**
 * One row of the Downloads page: the patch report's row (client, KB, file, entry, completeness,
 * source, first and last seen; raw values) and its URL's display form.
 *
 * @param row the row as {@code audit report patches} computes it
 * @param shortUrl the URL shortened in the middle, for the table
 */
public record Download(DownloadRow row, String shortUrl) {}
