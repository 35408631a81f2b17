package dev.patchgate.proxy.console.users;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The users who may sign in to the console, read from {@code patchgate.console.users}.
 *
 * <p>Immutable and thread-safe: the {@code with...} methods return a changed copy, which {@link
 * UsersFile} writes. The password hashes stay inside; {@link ConsoleUser} never carries one.
 */
public final class ConsoleUsers {
  /** Letters, digits, {@code _} and {@code -}: a HOCON key without quoting surprises. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private static final Set<String> KEYS = Set.of("role", "password", "entries", "groups", "token");

  private static final ConsoleUsers EMPTY = new ConsoleUsers(new TreeMap<>());

  /**
   * A user with their password hash and, when they have an API token, its hash ({@link
   * ApiTokens#hash}); {@code tokenHash} is null without one.
   */
  record Stored(ConsoleUser user, String hash, String tokenHash) {}

  private final SortedMap<String, Stored> users;

  private ConsoleUsers(SortedMap<String, Stored> users) {
    this.users = Collections.unmodifiableSortedMap(users);
  }

  /** No users: nobody can sign in. */
  public static ConsoleUsers empty() {
    return EMPTY;
  }

  /**
   * Reads the users file.
   *
   * @throws ConsoleUsersException naming the file, the line and the fix of every problem found
   */
  public static ConsoleUsers load(Path file) throws ConsoleUsersException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConsoleUsersException(
          List.of(
              file
                  + ": cannot read the console users file (does it exist, and may this user read"
                  + " it?); create it with: patchgate user add NAME --role admin"));
    }
    ConfigObject root;
    try {
      root =
          ConfigFactory.parseFile(
                  file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
              .resolve()
              .root();
    } catch (ConfigException e) {
      throw new ConsoleUsersException(List.of(file + ": " + e.getMessage()));
    }
    return parse(root, file.toString());
  }

  private static ConsoleUsers parse(ConfigObject root, String file) throws ConsoleUsersException {
    List<String> problems = new ArrayList<>();
    SortedMap<String, Stored> users = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> top : root.entrySet()) {
      if (!top.getKey().equals("users")) {
        problems.add(
            where(file, top.getValue())
                + "unknown key '"
                + top.getKey()
                + "'; the file holds one block: users { NAME { role = ..., password = ... } }");
      }
    }
    ConfigValue block = root.get("users");
    if (block != null && block.valueType() != ConfigValueType.OBJECT) {
      problems.add(where(file, block) + "users must be a block: users { NAME { ... } }");
    } else if (block != null) {
      for (Map.Entry<String, ConfigValue> e : ((ConfigObject) block).entrySet()) {
        user(file, e.getKey(), e.getValue(), problems)
            .ifPresent(s -> users.put(s.user().name(), s));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConsoleUsersException(problems);
    }
    return new ConsoleUsers(users);
  }

  private static Optional<Stored> user(
      String file, String name, ConfigValue value, List<String> problems) {
    String at = where(file, value);
    int before = problems.size();
    if (!NAME.matcher(name).matches()) {
      problems.add(
          at
              + "user name '"
              + name
              + "': use letters, digits, '_' and '-' (at most 64, no dots), e.g. emr-vendor");
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(at + "user '" + name + "' must be a block: " + name + " { role = ... }");
      return Optional.empty();
    }
    ConfigObject fields = (ConfigObject) value;
    for (Map.Entry<String, ConfigValue> f : fields.entrySet()) {
      if (!KEYS.contains(f.getKey())) {
        problems.add(
            where(file, f.getValue())
                + "user '"
                + name
                + "': unknown key '"
                + f.getKey()
                + "' (expected role, password, entries, groups, token)");
      }
    }
    Role role = null;
    ConfigValue roleValue = fields.get("role");
    if (roleValue == null) {
      problems.add(at + "user '" + name + "' has no role; add role = admin or role = vendor");
    } else {
      role = Role.of(String.valueOf(roleValue.unwrapped())).orElse(null);
      if (role == null) {
        problems.add(
            where(file, roleValue)
                + "user '"
                + name
                + "': role '"
                + roleValue.unwrapped()
                + "' is not known; use admin or vendor");
      }
    }
    ConfigValue password = fields.get("password");
    String hash = null;
    if (password == null) {
      problems.add(
          at + "user '" + name + "' has no password; set one with: patchgate user passwd " + name);
    } else if (password.valueType() != ConfigValueType.STRING
        || !PasswordHashes.isHash((String) password.unwrapped())) {
      // Never quote the value: it may be a plain password someone typed in.
      problems.add(
          where(file, password)
              + "user '"
              + name
              + "': password is not a bcrypt hash ($2b$...); the file must never hold a plain"
              + " password: set it with: patchgate user passwd "
              + name);
    } else {
      hash = (String) password.unwrapped();
    }
    String tokenHash = null;
    ConfigValue token = fields.get("token");
    if (token != null) {
      if (token.valueType() == ConfigValueType.STRING
          && ApiTokens.isHash((String) token.unwrapped())) {
        tokenHash = (String) token.unwrapped();
      } else {
        // Never quote the value: it may be a token itself, pasted in by mistake.
        problems.add(
            where(file, token)
                + "user '"
                + name
                + "': token is not a SHA-256 hash (sha256:...); the file must never hold a token"
                + " itself: make a new one with: patchgate user token "
                + name);
      }
    }
    List<String> entries = names(file, name, "entries", fields.get("entries"), problems);
    List<String> groups = names(file, name, "groups", fields.get("groups"), problems);
    if (role != null) {
      ConsoleUser user = new ConsoleUser(name, role, entries, groups);
      scopeProblem(user).ifPresent(p -> problems.add(at + p));
      if (problems.size() == before) {
        return Optional.of(new Stored(user, hash, tokenHash));
      }
    }
    return Optional.empty();
  }

  private static List<String> names(
      String file, String user, String key, ConfigValue value, List<String> problems) {
    if (value == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (value.valueType() == ConfigValueType.LIST) {
      for (Object item : (List<?>) value.unwrapped()) {
        if (item instanceof String s && !s.isBlank()) {
          names.add(s);
        } else {
          names = null;
          break;
        }
      }
    } else {
      names = null;
    }
    if (names == null) {
      problems.add(
          where(file, value)
              + "user '"
              + user
              + "': "
              + key
              + " must be a list of names, e.g. "
              + key
              + " = [emr-vendor]");
      return List.of();
    }
    return names;
  }

  /**
   * What is wrong with {@code user} as a new user, as the end of a line, or empty: the name must be
   * a plain key, a vendor must see something, an admin sees everything. What {@link #with} checks,
   * for a command to check before it asks for a password.
   */
  public static Optional<String> problem(ConsoleUser user) {
    if (!NAME.matcher(user.name()).matches()) {
      return Optional.of(
          "user name '"
              + user.name()
              + "': use letters, digits, '_' and '-' (at most 64, no dots), e.g. emr-vendor");
    }
    return scopeProblem(user);
  }

  private static Optional<String> scopeProblem(ConsoleUser user) {
    if (user.role() == Role.VENDOR && user.entries().isEmpty() && user.groups().isEmpty()) {
      return Optional.of(
          "vendor '"
              + user.name()
              + "' has no entries and no groups and would see nothing; give entries = [...] or"
              + " groups = [...]");
    }
    if (user.role() == Role.ADMIN && !(user.entries().isEmpty() && user.groups().isEmpty())) {
      return Optional.of(
          "admin '"
              + user.name()
              + "' has entries or groups, but an admin sees everything; remove them, or make the"
              + " user a vendor");
    }
    return Optional.empty();
  }

  private static String where(String file, ConfigValue value) {
    int line = value.origin().lineNumber();
    return file + ":" + Math.max(line, 0) + ": ";
  }

  /**
   * The user {@code name} when {@code password} is theirs. An unknown name costs the same bcrypt
   * check as a known one, so that timing does not tell which names exist.
   */
  public Optional<ConsoleUser> authenticate(String name, char[] password) {
    Stored stored = name == null ? null : users.get(name);
    if (stored == null) {
      PasswordHashes.burn(password);
      return Optional.empty();
    }
    return PasswordHashes.matches(password, stored.hash())
        ? Optional.of(stored.user())
        : Optional.empty();
  }

  /**
   * The user whose API token {@code token} is. Every stored token hash is compared, in constant
   * time, whatever matches first, so that timing tells nothing about the file.
   */
  public Optional<ConsoleUser> byToken(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = ApiTokens.digest(token);
    ConsoleUser found = null;
    for (Stored stored : users.values()) {
      if (stored.tokenHash() != null && ApiTokens.matches(digest, stored.tokenHash())) {
        found = stored.user();
      }
    }
    return Optional.ofNullable(found);
  }

  /** Whether {@code name} has an API token. */
  public boolean hasToken(String name) {
    Stored stored = users.get(name);
    return stored != null && stored.tokenHash() != null;
  }

  /**
   * A copy where {@code name}'s API token is the one {@code tokenHash} ({@link ApiTokens#hash})
   * stands for, replacing any earlier one; null revokes it.
   *
   * @throws IllegalArgumentException when there is no such user
   */
  public ConsoleUsers withTokenHash(String name, String tokenHash) {
    Stored stored = known(name);
    if (tokenHash != null && !ApiTokens.isHash(tokenHash)) {
      throw new IllegalArgumentException("not a token hash; make it with ApiTokens.hash");
    }
    SortedMap<String, Stored> copy = new TreeMap<>(users);
    copy.put(name, new Stored(stored.user(), stored.hash(), tokenHash));
    return new ConsoleUsers(copy);
  }

  /** The user called {@code name}, if there is one. */
  public Optional<ConsoleUser> find(String name) {
    return Optional.ofNullable(users.get(name)).map(Stored::user);
  }

  /** Every user, by name. */
  public List<ConsoleUser> all() {
    return users.values().stream().map(Stored::user).toList();
  }

  /**
   * A copy with {@code user} added under a new hash of {@code password}.
   *
   * @throws IllegalArgumentException when the name is taken or not valid, the scope is wrong
   *     ({@link #problem}) or the password is weak ({@link PasswordHashes#weakness})
   */
  public ConsoleUsers with(ConsoleUser user, char[] password) {
    if (users.containsKey(user.name())) {
      throw new IllegalArgumentException(
          "user '"
              + user.name()
              + "' exists; change the password with: patchgate user passwd "
              + user.name());
    }
    problem(user)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return copyWith(user, PasswordHashes.hash(password), null);
  }

  /**
   * A copy where {@code name} has a new hash of {@code password}.
   *
   * @throws IllegalArgumentException when there is no such user or the password is weak
   */
  public ConsoleUsers withPassword(String name, char[] password) {
    Stored stored = known(name);
    return copyWith(stored.user(), PasswordHashes.hash(password), stored.tokenHash());
  }

  /**
   * A copy without {@code name}.
   *
   * @throws IllegalArgumentException when there is no such user
   */
  public ConsoleUsers without(String name) {
    known(name);
    SortedMap<String, Stored> copy = new TreeMap<>(users);
    copy.remove(name);
    return new ConsoleUsers(copy);
  }

  /** The users and their hashes, for {@link UsersFile}. */
  Map<String, Stored> stored() {
    return users;
  }

  private Stored known(String name) {
    Stored stored = users.get(name);
    if (stored == null) {
      throw new IllegalArgumentException(
          "no user '"
              + name
              + "'"
              + (users.isEmpty()
                  ? ""
                  : " (the users are: " + String.join(", ", users.keySet()) + ")"));
    }
    return stored;
  }

  private ConsoleUsers copyWith(ConsoleUser user, String hash, String tokenHash) {
    SortedMap<String, Stored> copy = new TreeMap<>(users);
    copy.put(user.name(), new Stored(user, hash, tokenHash));
    return new ConsoleUsers(copy);
  }
}
