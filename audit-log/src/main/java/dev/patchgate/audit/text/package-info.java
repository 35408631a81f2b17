/**
 * Text for people at a terminal: {@link dev.patchgate.audit.text.DisplayText} (the one cleaner for
 * anything a user or a client chose, before it reaches a terminal), {@link
 * dev.patchgate.audit.text.ByteSize} (byte counts) and {@link dev.patchgate.audit.text.TextTable}
 * (aligned columns).
 *
 * <p>Shared by audit-log's query and reports and by the gateway's command line, which depends on
 * this module; it must not depend on anything else in audit-log. Stateless.
 */
package dev.patchgate.audit.text;
