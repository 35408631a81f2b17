/**
 * The CONNECT tunnel's TLS check: {@link dev.patchgate.proxy.tunnel.SniGate} holds a tunnel's
 * ClientHellos until their server name is the CONNECT host, and stays until the server has chosen
 * its site; {@link dev.patchgate.proxy.tunnel.ClientHello} and {@link
 * dev.patchgate.proxy.tunnel.ServerHello} read the handshake without consuming it.
 *
 * <p>Uses only {@code exchange} (to record a refusal). Nothing is decrypted, ever.
 */
package dev.patchgate.proxy.tunnel;
