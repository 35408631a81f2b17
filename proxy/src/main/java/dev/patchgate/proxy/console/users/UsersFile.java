package dev.patchgate.proxy.console.users;

import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the users file the way {@link ConsoleUsers#load} reads it: whole, through a temporary file
 * in the same directory and an atomic rename, readable by its owner only (mode 0600 where the file
 * system has POSIX modes), so that a reader sees the old file or the new one and never a
 * half-written one. A replaced file keeps its owner and group when this process may set them.
 */
public final class UsersFile {
  private UsersFile() {}

  /**
   * Replaces {@code file} with {@code users}.
   *
   * @throws IOException when the directory cannot be written; {@code file} is then unchanged
   */
  public static void write(Path file, ConsoleUsers users) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    PosixFileAttributes old = posix(absolute);
    Path temp = temporary(dir, absolute.getFileName().toString());
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(render(users));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      if (old != null) {
        keepOwner(temp, old);
      }
      Files.move(
          temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The file's text: a header that says how it is written, then one block a user. */
  static String render(ConsoleUsers users) {
    StringBuilder text = new StringBuilder();
    text.append("# patchgate console users (README.md, \"Console users\").\n")
        .append("# Written by patchgate user add|passwd|remove|token; the passwords are bcrypt\n")
        .append("# hashes, the API tokens SHA-256 hashes (README.md, \"API tokens\").\n")
        .append("users {\n");
    for (ConsoleUsers.Stored stored : users.stored().values()) {
      ConsoleUser user = stored.user();
      text.append("  ").append(ConfigUtil.quoteString(user.name())).append(" {\n");
      text.append("    role = ").append(user.role().wireName()).append('\n');
      text.append("    password = ").append(ConfigUtil.quoteString(stored.hash())).append('\n');
      if (stored.tokenHash() != null) {
        text.append("    token = ").append(ConfigUtil.quoteString(stored.tokenHash())).append('\n');
      }
      if (user.role() == Role.VENDOR) {
        text.append("    entries = ").append(list(user.entries())).append('\n');
        text.append("    groups = ").append(list(user.groups())).append('\n');
      }
      text.append("  }\n");
    }
    return text.append("}\n").toString();
  }

  private static String list(List<String> names) {
    return names.stream().map(ConfigUtil::quoteString).collect(Collectors.joining(", ", "[", "]"));
  }

  private static Path temporary(Path dir, String name) throws IOException {
    boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    FileAttribute<?>[] ownerOnly =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    for (int attempt = 0; ; attempt++) {
      Path temp = dir.resolve("." + name + ".tmp-" + ProcessHandle.current().pid() + "-" + attempt);
      try {
        return Files.createFile(temp, ownerOnly);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  private static PosixFileAttributes posix(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null || !Files.exists(file)) {
      return null;
    }
    return view.readAttributes();
  }

  private static void keepOwner(Path temp, PosixFileAttributes old) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
    if (old.permissions().contains(PosixFilePermission.GROUP_READ)) {
      view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
    }
    try {
      view.setGroup(old.group());
      view.setOwner(old.owner());
    } catch (IOException | SecurityException e) {
      // Not permitted (an ordinary user rewriting root's file fails earlier, at the rename):
      // the new file is this user's, still 0600.
    }
  }
}
