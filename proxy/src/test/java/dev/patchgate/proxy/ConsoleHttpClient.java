package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a browser does, over the JDK's client: one cookie store, no automatic redirects, forms with
 * their CSRF token. One per signed-in user of a test.
 */
class ConsoleHttpClient {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final CookieManager cookies = new CookieManager();
  private final HttpClient client;
  private final String base;

  /** A browser of {@code gateway}'s console, over plain HTTP. */
  ConsoleHttpClient(GatewayHarness gateway) {
    this(
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1),
        "http://127.0.0.1:" + gateway.adminAddress().getPort());
  }

  ConsoleHttpClient(HttpClient.Builder builder, String base) {
    this.client = builder.cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    this.base = base;
  }

  URI uri(String path) {
    return URI.create(base + path);
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return client.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(WAIT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET /login, then POST it with the form's token. */
  HttpResponse<String> signIn(String user, String password) throws Exception {
    String csrf = csrfFrom(get("/login").body());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("username", user);
    form.put("password", password);
    form.put("csrf", csrf);
    return post("/login", form);
  }

  String csrfFrom(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a csrf field in %s", html).isTrue();
    return m.group(1);
  }

  String cookie(String name) {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }
}
