/**
 * The audit trail: one {@link dev.patchgate.audit.AuditRecord} per HTTP request or CONNECT tunnel,
 * encoded by {@link dev.patchgate.audit.AuditJson} and written by an {@link
 * dev.patchgate.audit.AuditSink}.
 *
 * <p>{@link dev.patchgate.audit.JsonLinesAuditWriter} writes the records as hash-chained JSON
 * lines, one file per UTC day (optionally with a Squid-format twin), gzips finished days and
 * deletes expired ones; {@link dev.patchgate.audit.AuditChainVerifier} and {@link
 * dev.patchgate.audit.AuditVerifyCommand} check the chain; {@link dev.patchgate.audit.AuditFiles}
 * finds and opens the day files for readers.
 *
 * <p>Plain Java: nothing here knows about Netty or HTTP libraries. The proxy decides what goes into
 * a record; this package guarantees that it is written faithfully, that no field can forge another
 * line, and that a changed, removed or inserted line is found.
 */
package dev.patchgate.audit;
