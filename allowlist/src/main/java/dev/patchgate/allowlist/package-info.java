/**
 * The policy: which requests patchgate lets through.
 *
 * <p>{@link dev.patchgate.allowlist.TargetParser} turns a raw request-target into a canonical
 * {@link dev.patchgate.allowlist.Target}, refusing every spelling that two parsers could read
 * differently. {@link dev.patchgate.allowlist.Allowlist} loads and validates the administrator's
 * file (client groups, entries, curated {@link dev.patchgate.allowlist.Profiles}, schedules) and
 * answers {@link dev.patchgate.allowlist.Allowlist#decide} with a {@link
 * dev.patchgate.allowlist.Decision}: a pure function of the request and its arrival time, denying
 * by default. The decision also says which resolved addresses the proxy may dial ({@link
 * dev.patchgate.allowlist.AddressClass}) and whether to check a tunnel's SNI; {@link
 * dev.patchgate.allowlist.Allowlist#explain} says why, for an administrator.
 *
 * <p>Plain Java: nothing here knows about Netty, LittleProxy or the network, so the proxy decides
 * when to ask and this package only says what the answer is.
 */
package dev.patchgate.allowlist;
