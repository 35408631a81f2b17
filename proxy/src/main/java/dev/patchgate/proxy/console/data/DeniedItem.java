package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.report.DeniedRow;
import java.util.Optional;

/**
 * One row of the Denied page: the denied report's row, a request it counts, and what {@code
 * patchgate explain} says about that request under the allowlist in force.
 *
 * @param row the row as {@code audit report denied} computes it
 * @param method the method of the row's most recent request, or {@code ""} for a summary record
 * @param url the URL (or {@code host:port}) of that request, raw; {@code ""} for a summary record
 * @param shortUrl its display form
 * @param explained the explanation at the row's last-seen time; empty for a summary record or a
 *     client that is not an address
 * @param snippet for an admin, allowlist text to paste that would let the request through (never
 *     written anywhere); empty for a vendor, and when the request cannot be allowed by an edit
 */
public record DeniedItem(
    DeniedRow row,
    String method,
    String url,
    String shortUrl,
    Optional<Explained> explained,
    Optional<String> snippet) {}
