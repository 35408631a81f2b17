/**
 * The console's users: who may sign in, with which role, and what a vendor may see.
 *
 * <p>The file ({@code patchgate.console.users}) holds only bcrypt hashes, written by {@code
 * patchgate user ...}; {@link dev.patchgate.proxy.console.users.ConsoleUsers} reads it and checks
 * passwords for the console's sign-in.
 */
package dev.patchgate.proxy.console.users;
