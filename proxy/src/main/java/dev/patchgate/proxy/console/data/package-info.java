/**
 * What the console shows, as data: the rows of its pages and of its JSON API, filtered and scoped
 * to the signed-in user. No HTTP and no HTML here: each source takes typed {@link
 * dev.patchgate.proxy.console.data.Filters} and a {@link dev.patchgate.proxy.console.data.Scope}
 * and returns records holding raw values (escaping is the renderer's job), with a display form of
 * each long URL shortened in the middle.
 *
 * <p>The sources call the code the command line calls (audit-log's scanner and reports, the
 * allowlist's {@code explain}, the mirror store's listing and purge): the console adds scoping and
 * bounds, never a second implementation. Uses {@code console.users}; must not touch the admin
 * listener or the web layer, which call it.
 */
package dev.patchgate.proxy.console.data;
