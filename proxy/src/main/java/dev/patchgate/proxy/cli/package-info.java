/**
 * The command line: {@code run}, {@code check-config}, {@code explain}, {@code profiles}, {@code
 * audit} and {@code mirror}, each ending in one clear line and a documented exit code, never a
 * stack trace.
 *
 * <p>One frame: {@link dev.patchgate.proxy.cli.Cli} runs picocli over the command classes ({@code
 * *Command}), which declare every option once; the help, the usage errors ({@code UsageErrors}),
 * the exit codes and the bash completion script ({@link dev.patchgate.proxy.cli.CompletionScript})
 * all come from those declarations. Everything a user typed is echoed through audit-log's {@code
 * DisplayText.clean}. The audit tools' work is audit-log's ({@code Audit*Command.run} with typed
 * options); this package only parses for them.
 *
 * <p>The top of the module: it starts the gateway and calls the allowlist's, the audit log's and
 * the mirror store's own commands and reports. Nothing in {@code dev.patchgate.proxy} uses it.
 */
package dev.patchgate.proxy.cli;
