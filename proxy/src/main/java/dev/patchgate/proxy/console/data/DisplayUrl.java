package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.text.DisplayText;

/**
 * The display form of a URL on the console's pages: control and bidi characters made visible
 * ({@link DisplayText#clean}), then shortened in the middle ({@link DisplayText#shortUrl}, which
 * the reports use) so that a row fits a 1366-px screen; the whole URL stays in the row for a hover
 * or a detail view. Still raw text: the renderer escapes it.
 */
final class DisplayUrl {
  /** The widest a shown URL gets, in characters. */
  static final int WIDTH = 80;

  private DisplayUrl() {}

  static String of(String url) {
    return url == null ? "" : DisplayText.shortUrl(DisplayText.clean(url), WIDTH);
  }
}
