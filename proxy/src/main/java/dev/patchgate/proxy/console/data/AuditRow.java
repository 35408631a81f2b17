package dev.patchgate.proxy.console.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * One record of an audit search.
 *
 * @param fields every field of the line in file order, raw ({@code String}, {@code Long}, {@code
 *     Boolean} or null); unmodifiable
 * @param file the day file it is in
 * @param line its line number there
 * @param shortUrl the display form of its {@code url}
 */
public record AuditRow(Map<String, Object> fields, Path file, long line, String shortUrl) {}
