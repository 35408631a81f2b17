/**
 * The running gateway: LittleProxy started with patchgate's thread pools ({@link
 * dev.patchgate.proxy.GatewayServerGroup}), each client connection's pipeline ({@link
 * dev.patchgate.proxy.ClientPipeline}, which admits each connection under the connection limits and
 * names the request path's handlers in order), the mirror it owns, and the allowlist reload ({@link
 * dev.patchgate.proxy.PolicyReload}).
 *
 * <p>The wiring only: it may use every package below it ({@code config}, {@code exchange}, {@code
 * limits}, {@code upstream}, {@code tunnel}, {@code request}, {@code mirror}, {@code
 * mirror.fetch}); none of them uses it. The command line ({@code cli}) sits above it.
 */
package dev.patchgate.proxy;
