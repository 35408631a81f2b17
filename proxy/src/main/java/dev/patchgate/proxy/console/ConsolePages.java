package dev.patchgate.proxy.console;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders the console's pages from the Pebble templates in the jar ({@code console/templates}).
 * Pebble escapes every value for HTML unless a template says otherwise (none does), so what the
 * gateway saw (URLs, host names, user names) always renders as text. Thread-safe.
 */
final class ConsolePages {
  private final PebbleEngine engine;

  ConsolePages() {
    ClasspathLoader loader = new ClasspathLoader(ConsolePages.class.getClassLoader());
    loader.setPrefix("console/templates");
    loader.setSuffix(".peb");
    engine =
        new PebbleEngine.Builder()
            .loader(loader)
            .autoEscaping(true)
            .defaultEscapingStrategy("html")
            .strictVariables(true)
            .build();
  }

  /** The page {@code template} with {@code model}. */
  String render(String template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
