/**
 * The audit trail: one {@link dev.patchgate.audit.AuditRecord} per HTTP request or CONNECT tunnel,
 * encoded by {@link dev.patchgate.audit.AuditJson} and written by an {@link
 * dev.patchgate.audit.AuditSink}.
 *
 * <p>Plain Java: nothing here knows about Netty or HTTP libraries. The proxy decides what goes into
 * a record; this package guarantees that it is written faithfully and cannot be forged.
 */
package dev.patchgate.audit;
