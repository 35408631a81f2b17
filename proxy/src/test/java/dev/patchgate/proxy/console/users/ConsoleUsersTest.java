package dev.patchgate.proxy.console.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.crypto.bcrypt.BCrypt;

class ConsoleUsersTest {
  private static final String PASSWORD = "correct horse battery staple";

  /** A valid hash at the lowest cost, so that the parse tests stay fast. */
  private static final String HASH = BCrypt.hashpw(PASSWORD, BCrypt.gensalt("$2b", 4));

  @TempDir Path dir;

  @Test
  void authenticate_rightWrongAndUnknown() throws Exception {
    ConsoleUsers users =
        load(
            """
            users {
              alice { role = admin, password = "%s" }
              emr { role = vendor, password = "%s", entries = [emr-vendor], groups = [ward-3] }
            }
            """
                .formatted(HASH, HASH));

    assertThat(users.authenticate("alice", PASSWORD.toCharArray()))
        .contains(new ConsoleUser("alice", Role.ADMIN, List.of(), List.of()));
    assertThat(users.authenticate("emr", PASSWORD.toCharArray()))
        .contains(new ConsoleUser("emr", Role.VENDOR, List.of("emr-vendor"), List.of("ward-3")));
    assertThat(users.authenticate("alice", "correct horse battery stapler".toCharArray()))
        .isEmpty();
    assertThat(users.authenticate("mallory", PASSWORD.toCharArray())).isEmpty();
    assertThat(users.authenticate("alice", "x".repeat(100).toCharArray())).isEmpty();
    assertThat(users.find("emr")).map(ConsoleUser::role).contains(Role.VENDOR);
    assertThat(users.find("mallory")).isEmpty();
    assertThat(users.all()).extracting(ConsoleUser::name).containsExactly("alice", "emr");
  }

  @Test
  void emptyLetsNobodyIn() {
    assertThat(ConsoleUsers.empty().all()).isEmpty();
    assertThat(ConsoleUsers.empty().authenticate("alice", PASSWORD.toCharArray())).isEmpty();
  }

  @Test
  void writtenFileLoadsBackWithTheCurrentCostAndNoPlainPassword() throws Exception {
    ConsoleUsers users =
        ConsoleUsers.empty()
            .with(
                new ConsoleUser("alice", Role.ADMIN, List.of(), List.of()), PASSWORD.toCharArray())
            .with(
                new ConsoleUser("emr", Role.VENDOR, List.of("emr \"vendor\""), List.of()),
                "another long passphrase".toCharArray());
    Path file = dir.resolve("users.conf");
    UsersFile.write(file, users);

    String text = Files.readString(file);
    assertThat(text).doesNotContain(PASSWORD, "another long").contains("$2b$11$");
    ConsoleUsers loaded = ConsoleUsers.load(file);
    assertThat(loaded.all()).isEqualTo(users.all());
    assertThat(loaded.authenticate("emr", "another long passphrase".toCharArray())).isPresent();
    assertThat(
            loaded.withPassword("emr", "a third passphrase".toCharArray()).without("alice").all())
        .extracting(ConsoleUser::name)
        .containsExactly("emr");
  }

  /** New: owner only. Replaced: keeps the group's read (the package's root:patchgate 0640). */
  @ParameterizedTest
  @CsvSource({"'',rw-------", "rw-------,rw-------", "rw-r-----,rw-r-----", "rw-rw-rw-,rw-r-----"})
  void writtenFileIsOwnerOnlyOrKeepsOnlyTheGroupsRead(String before, String after)
      throws Exception {
    Path file = dir.resolve("users.conf");
    if (!before.isEmpty()) {
      Files.writeString(file, "users {}\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(before));
    }
    UsersFile.write(file, load("users { a { role = admin, password = \"" + HASH + "\" } }"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo(after);
    assertThat(ConsoleUsers.load(file).find("a")).isPresent();
  }

  @Test
  void aHashOfAnotherCostStillVerifies() throws Exception {
    String older = BCrypt.hashpw(PASSWORD, BCrypt.gensalt("$2a", 5));
    ConsoleUsers users = load("users { old { role = admin, password = \"" + older + "\" } }");
    assertThat(users.authenticate("old", PASSWORD.toCharArray())).isPresent();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|is empty",
        "eleven char|is shorter than 12 characters",
        "日本語のとても長いパスワードは七十二バイトを超えてしまうのでだめです|is longer than 72 bytes"
      })
  void weakPasswordsAreRefusedWithTheReason(String password, String reason) {
    assertThat(PasswordHashes.weakness(password.toCharArray())).get().asString().contains(reason);
    assertThatThrownBy(
            () ->
                ConsoleUsers.empty()
                    .with(
                        new ConsoleUser("bob", Role.ADMIN, List.of(), List.of()),
                        password.toCharArray()))
        .hasMessageContaining(reason);
  }

  @Test
  void addingAnExistingNameOrAScopelessVendorIsRefused() throws Exception {
    ConsoleUsers users = load("users { alice { role = admin, password = \"" + HASH + "\" } }");
    assertThatThrownBy(
            () ->
                users.with(
                    new ConsoleUser("alice", Role.ADMIN, List.of(), List.of()),
                    PASSWORD.toCharArray()))
        .hasMessageContaining("patchgate user passwd alice");
    assertThatThrownBy(
            () ->
                users.with(
                    new ConsoleUser("emr", Role.VENDOR, List.of(), List.of()),
                    PASSWORD.toCharArray()))
        .hasMessageContaining("would see nothing");
    assertThatThrownBy(() -> users.without("mallory")).hasMessageContaining("alice");
  }

  /** Each bad file: the line of the problem, and a phrase of its message. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "users {\\n emr { role = vendor, password = \"$H\" }\\n}|2|would see nothing",
        "users {\\n a { role = admin, password = \"$H\", entries = [x] }\\n}|2|an admin sees"
            + " everything",
        "users {\\n a {\\n role = admin\\n password = \"hunter2hunter2\"\\n }\\n}|4|not a bcrypt"
            + " hash",
        "users {\\n a {\\n role = root\\n password = \"$H\"\\n }\\n}|3|use admin or vendor",
        "users {\\n a { role = admin }\\n}|2|patchgate user passwd a",
        "users {\\n a { password = \"$H\" }\\n}|2|add role = admin",
        "users {\\n a { role = admin, password = \"$H\", pasword = x }\\n}|2|unknown key"
            + " 'pasword'",
        "users {\\n \"a b\" { role = admin, password = \"$H\" }\\n}|2|use letters, digits",
        "users {\\n e { role = vendor, password = \"$H\", entries = x }\\n}|2|must be a list",
        "user {\\n}|1|unknown key 'user'",
      })
  void badFilesNameTheFileTheLineAndTheFix(String text, int line, String phrase) throws Exception {
    Path file = dir.resolve("console-users.conf");
    Files.writeString(file, text.replace("\\n", "\n").replace("$H", HASH));
    assertThatThrownBy(() -> ConsoleUsers.load(file))
        .isInstanceOf(ConsoleUsersException.class)
        .satisfies(
            e ->
                assertThat(((ConsoleUsersException) e).problems())
                    .anyMatch(p -> p.startsWith(file + ":" + line + ": ") && p.contains(phrase)));
  }

  @Test
  void aPlainPasswordIsNeverRepeatedInTheMessage() throws Exception {
    Path file = dir.resolve("console-users.conf");
    Files.writeString(file, "users { a { role = admin, password = \"hunter2hunter2\" } }");
    assertThatThrownBy(() -> ConsoleUsers.load(file)).message().doesNotContain("hunter2");
  }

  @Test
  void aTokenFindsItsUserAndSurvivesAPasswordChangeAndAWrittenFile() throws Exception {
    ConsoleUsers users =
        load(
            """
            users {
              alice { role = admin, password = "%s" }
              emr { role = vendor, password = "%s", entries = [emr-vendor] }
            }
            """
                .formatted(HASH, HASH));
    String token = ApiTokens.create();
    String other = ApiTokens.create();
    Path file = dir.resolve("written.conf");

    users = users.withTokenHash("emr", ApiTokens.hash(token));
    UsersFile.write(file, users.withPassword("emr", "another long password".toCharArray()));
    ConsoleUsers read = ConsoleUsers.load(file);

    assertThat(token).startsWith(ApiTokens.PREFIX).isNotEqualTo(other);
    assertThat(read.byToken(token)).map(ConsoleUser::name).contains("emr");
    assertThat(read.byToken(other)).isEmpty();
    assertThat(read.byToken("")).isEmpty();
    assertThat(read.byToken(ApiTokens.hash(token))).as("the stored hash is no token").isEmpty();
    assertThat(read.hasToken("emr")).isTrue();
    assertThat(read.hasToken("alice")).isFalse();
    assertThat(Files.readString(file)).doesNotContain(token).contains(ApiTokens.hash(token));
    assertThat(read.withTokenHash("emr", null).byToken(token)).isEmpty();
  }

  @Test
  void aTokenInPlaceOfItsHashIsRefusedWithoutRepeatingIt() throws Exception {
    Path file = dir.resolve("console-users.conf");
    String token = ApiTokens.create();
    Files.writeString(
        file,
        "users {\n  a { role = admin, password = \"%s\", token = \"%s\" }\n}\n"
            .formatted(HASH, token));
    assertThatThrownBy(() -> ConsoleUsers.load(file))
        .hasMessageContaining("console-users.conf:2: user 'a': token is not a SHA-256 hash")
        .hasMessageContaining("patchgate user token a")
        .hasMessageNotContaining(token);
  }

  @Test
  void aMissingFileSaysHowToCreateIt() {
    Path file = dir.resolve("missing.conf");
    assertThatThrownBy(() -> ConsoleUsers.load(file))
        .hasMessageStartingWith(file + ": cannot read")
        .hasMessageContaining("patchgate user add");
  }

  private ConsoleUsers load(String text) throws Exception {
    Path file = dir.resolve("console-users.conf");
    Files.writeString(file, text);
    return ConsoleUsers.load(file);
  }
}
