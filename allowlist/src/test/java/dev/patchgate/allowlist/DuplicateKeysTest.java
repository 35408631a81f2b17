package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The raw-text scan that finds what HOCON merges silently: every way to define an entry twice is
 * found, and nothing that only looks like a definition (comments, strings, arrays) is.
 */
class DuplicateKeysTest {

  static Stream<Arguments> texts() {
    return Stream.of(
        // the plain case
        arguments("entries {\n  a { }\n  a { }\n}", List.of("entries.a 2->3")),
        // quoted and bare spellings of one name
        arguments("entries {\n  \"a\" { }\n  a { }\n}", List.of("entries.a 2->3")),
        // a second entries block
        arguments("entries { a { } }\nentries { a { } }", List.of("entries.a 1->2")),
        // a dotted key reaching into an entry from the top
        arguments("entries { a { } }\nentries.a.hosts = []", List.of("entries.a 1->2")),
        // a dotted key naming the entry from inside entries
        arguments("entries {\n  a { }\n  a.hosts = []\n}", List.of("entries.a 2->3")),
        // separators ':' and '=' before the object
        arguments("entries : {\n  a = { }\n  a : { }\n}", List.of("entries.a 2->3")),
        // the root in braces
        arguments("{\n  entries {\n    a { }\n    a { }\n  }\n}", List.of("entries.a 3->4")),
        // three definitions: each repeat names the first
        arguments("entries {\n a {}\n a {}\n a {}\n}", List.of("entries.a 2->3", "entries.a 2->4")),
        // client groups
        arguments(
            "clients {\n  g = [\"10.0.0.0/8\"]\n  g = [\"10.1.0.0/16\"]\n}",
            List.of("clients.g 2->3")),
        // a key set twice inside one entry
        arguments(
            "entries {\n  a {\n    hosts = []\n    hosts = []\n  }\n}",
            List.of("entries.a.hosts 3->4")),
        // a top-level key set twice
        arguments("time-zone = UTC\ntime-zone = \"Asia/Tokyo\"", List.of("time-zone 1->2")),
        // a repeated entry is reported once, not again for each key it repeats
        arguments(
            "entries {\n  a { hosts = [] }\n  a { hosts = [] }\n}", List.of("entries.a 2->3")),
        // names in comments are not definitions
        arguments("entries {\n  a { }\n  # a { }\n  // a { }\n}", List.of()),
        // names inside strings are not definitions
        arguments("entries {\n  a { hosts = [\"a { }\", \"}\"] }\n  b { }\n}", List.of()),
        // nor inside triple-quoted strings spanning lines, and lines are still counted
        arguments(
            "entries {\n  a { x = \"\"\"\n  a { }\n\"\"\" }\n  a { }\n}",
            List.of("entries.a 2->5")),
        // the same key in two different entries
        arguments("entries {\n  a { hosts = [] }\n  b { hosts = [] }\n}", List.of()),
        // the same name as an entry and as a client group
        arguments("clients { a = [] }\nentries { a { } }", List.of()),
        // objects inside an array are not keyed
        arguments("entries {\n  a { x = [{ b = 1 }, { b = 2 }] }\n}", List.of()),
        // appending with += is not a repeat
        arguments(
            "entries {\n  a { hosts = [] }\n}\nentries.a.hosts += \"b\"",
            List.of("entries.a 2->4")),
        arguments("time-zone = UTC\nx += 1\nx += 2", List.of()),
        // substitutions and escaped quotes do not confuse the scan
        arguments(
            "h = [\"a\"]\nentries {\n  a { hosts = ${h}, note = \"say \\\"a { }\\\"\" }\n  b { }\n}",
            List.of()),
        // something the scan does not model stops it without inventing a duplicate
        arguments("entries {\n  a { }\n  a { }\n  b = 1 + 2\n}", List.of("entries.a 2->3")));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("texts")
  void find_reportsEveryRepeatedDefinitionAndNothingElse(String text, List<String> expected) {
    List<String> found =
        DuplicateKeys.find(text).stream()
            .map(d -> String.join(".", d.path()) + " " + d.firstLine() + "->" + d.line())
            .toList();

    assertThat(found).containsExactlyElementsOf(expected);
  }
}
