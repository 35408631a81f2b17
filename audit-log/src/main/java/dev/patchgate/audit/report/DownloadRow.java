package dev.patchgate.audit.report;

/**
 * One line of the patch report: what one client fetched of one URL in the period, its range
 * requests merged.
 *
 * @param client the client address
 * @param firstSeen the {@code ts} of the first request
 * @param lastSeen the {@code ts} of the last request
 * @param kb the KB number from the file name, or {@code ""} (also when the host and entry are not
 *     trusted to name KB numbers)
 * @param fileName the last segment of the URL's path
 * @param url the URL
 * @param host the host
 * @param size the object's length, or when unknown the bytes sent
 * @param bytesSent {@code bytes_to_client} summed over the requests (headers included)
 * @param completeness whether the whole package arrived
 * @param source {@code mirror}, {@code upstream} or {@code mirror+upstream}
 * @param requests how many requests were merged
 * @param entry the allowlist entry that allowed them
 */
public record DownloadRow(
    String client,
    String firstSeen,
    String lastSeen,
    String kb,
    String fileName,
    String url,
    String host,
    long size,
    long bytesSent,
    Completeness completeness,
    String source,
    long requests,
    String entry) {}
