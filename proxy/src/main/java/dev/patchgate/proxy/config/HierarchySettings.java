package dev.patchgate.proxy.config;

import dev.patchgate.allowlist.Cidr;
import java.util.List;

/**
 * The gateway's place in a site-to-central hierarchy: whose {@code X-Forwarded-For} it believes,
 * and whether it names the PC to a parent proxy. A central gateway must know its site gateways by
 * address, because a header is only as true as whoever wrote it.
 *
 * @param trustedDownstreams the site gateways (addresses and ranges) whose {@code X-Forwarded-For}
 *     or {@code Forwarded} header names the PC; everyone else's is ignored and stripped ({@code
 *     patchgate.trusted-downstreams}, empty by default)
 * @param forwardedForToParent true to send a parent proxy {@code X-Forwarded-For} with the PC's
 *     address ({@code patchgate.upstream.forwarded-for}, on by default); never sent to an origin
 *     <p>Public for the gateway's wiring and the tests.
 */
public record HierarchySettings(List<Cidr> trustedDownstreams, boolean forwardedForToParent) {
  public HierarchySettings {
    trustedDownstreams = List.copyOf(trustedDownstreams);
  }
}
