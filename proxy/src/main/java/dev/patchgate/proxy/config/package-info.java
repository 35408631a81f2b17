/**
 * The gateway's configuration: HOCON over the embedded {@code reference.conf}, read once into the
 * immutable {@link dev.patchgate.proxy.config.GatewaySettings} and validated as a whole, every
 * problem reported at once.
 *
 * <p>Depends on no other package of the gateway; it must not open sockets or files beyond reading
 * the configuration.
 */
package dev.patchgate.proxy.config;
