package dev.patchgate.mirror;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The mirror's storage and freshness rules, as pure functions of a URL, headers and times.
 *
 * <p><b>Storable</b> ({@link #refusal}): a {@code 200} to a {@code GET}, without {@code
 * Cache-Control: no-store} or {@code private}, without {@code Vary} (other than {@code
 * Accept-Encoding}) and without a {@code Content-Encoding} other than {@code identity}, because the
 * key is the URL alone; with a length the mirror can verify: one valid {@code Content-Length}, or a
 * chunked body (whose end the proxy sees). {@code Set-Cookie} does not prevent storing; it is never
 * kept or replayed.
 *
 * <p><b>Classes</b> ({@link #classify}), first match wins:
 *
 * <ol>
 *   <li>{@link ObjectClass#IMMUTABLE}: the file name carries its SHA-1 ({@code _<40 hex>.<ext>}).
 *   <li>{@link ObjectClass#INDEX}: Debian/Ubuntu {@code InRelease}, {@code Release[.gpg]}, {@code
 *       Packages*}, {@code Sources*}, {@code Contents-*}, {@code Translation-*}, {@code
 *       Components-*}, {@code Commands-*}, {@code icons-*}, {@code *.diff/Index}; RPM {@code
 *       repomd.xml*}; Windows trust lists and catalogues: {@code *stl.cab} ({@code
 *       authrootstl.cab}, {@code disallowedcertstl.cab}, {@code pinrulesstl.cab}), {@code *.stl},
 *       {@code *.sst}, {@code *.crl}, {@code *seq.txt}, {@code wsusscn2.cab}, {@code *redir.cab}.
 *       Names compare ignoring case.
 *   <li>{@link ObjectClass#IMMUTABLE}: Debian {@code by-hash/<algorithm>/<hex>} files; {@code
 *       .deb}/{@code .udeb}/{@code .ddeb} under {@code /pool/} (the archive never reuses a pool
 *       file name); {@code /filestreamingservice/files/…} under {@code *.delivery.mp.microsoft.com}
 *       (Delivery Optimization names payloads by content id and puts expiring tokens in the query:
 *       give that entry {@code dropQuery}); a response with {@code Cache-Control: immutable}.
 *   <li>{@link ObjectClass#ORDINARY}: everything else, including {@code .cab}/{@code .msu}/{@code
 *       .exe} without a hash in the name: under {@code *.windowsupdate.com} several catalogues keep
 *       one name for changing content, and a wrongly immutable file is served stale for ever while
 *       a wrongly ordinary one costs a {@code 304}.
 * </ol>
 *
 * <p><b>Lifetime</b> ({@link #lifetime}) of an ordinary object: the entry's {@code maxAge} if set;
 * else 0 with {@code no-cache}; else {@code s-maxage}, then {@code max-age}; else {@code Expires}
 * minus {@code Date} (an invalid {@code Expires} means already expired); else 10% of the time
 * between {@code Last-Modified} and {@code Date}, capped at {@link #HEURISTIC_CAP}; else 0. An
 * object is fresh while its age (initial age plus time since validation) is below its lifetime.
 */
public final class FreshnessPolicy {
  /** The longest lifetime the Last-Modified heuristic gives. */
  public static final Duration HEURISTIC_CAP = Duration.ofDays(1);

  /** The lifetime of an immutable object. */
  public static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

  private static final Pattern BY_HASH =
      Pattern.compile("/by-hash/(?:MD5Sum|SHA1|SHA256|SHA512)/[0-9a-fA-F]{32,128}$");
  private static final Pattern POOL_PACKAGE = Pattern.compile("/pool/.*\\.(?:deb|udeb|ddeb)$");
  private static final Pattern DEBIAN_INDEX =
      Pattern.compile(
          "(?:inrelease|release|release\\.gpg|packages(?:\\..+)?|sources(?:\\..+)?"
              + "|(?:contents|translation|components|commands|icons)-.+|repomd\\.xml(?:\\..+)?)");
  private static final Pattern WINDOWS_INDEX =
      Pattern.compile(".*(?:stl\\.cab|\\.stl|\\.sst|\\.crl|seq\\.txt|redir\\.cab)|wsusscn2\\.cab");

  private FreshnessPolicy() {}

  /**
   * Why a response must not be stored, or empty when it may be.
   *
   * @param method the request method
   * @param status the response status
   * @param response the response header fields
   */
  public static Optional<String> refusal(String method, int status, HeaderLookup response) {
    if (!"GET".equals(method)) {
      return Optional.of("method is not GET");
    }
    if (status != 200) {
      return Optional.of("status is not 200");
    }
    CacheControl cc = CacheControl.parse(response.all("Cache-Control"));
    if (cc.has("no-store")) {
      return Optional.of("Cache-Control: no-store");
    }
    if (cc.has("private")) {
      return Optional.of("Cache-Control: private");
    }
    for (String vary : response.all("Vary")) {
      for (String field : vary.split(",", -1)) {
        String f = field.trim();
        if (!f.isEmpty() && !f.equalsIgnoreCase("Accept-Encoding")) {
          return Optional.of("Vary: " + (f.equals("*") ? "*" : "a request field"));
        }
      }
    }
    for (String coding : response.all("Content-Encoding")) {
      for (String c : coding.split(",", -1)) {
        if (!c.isBlank() && !c.trim().equalsIgnoreCase("identity")) {
          return Optional.of("Content-Encoding");
        }
      }
    }
    if (response.has("Content-Range")) {
      return Optional.of("Content-Range on a 200");
    }
    List<String> lengths = response.all("Content-Length");
    if (lengths.isEmpty()) {
      if (!isChunked(response)) {
        return Optional.of("no Content-Length and not chunked");
      }
    } else if (declaredLength(response) < 0) {
      return Optional.of("invalid Content-Length");
    }
    return Optional.empty();
  }

  /** Whether {@link #refusal} is empty. */
  public static boolean storable(String method, int status, HeaderLookup response) {
    return refusal(method, status, response).isEmpty();
  }

  /**
   * The declared content length: the value of the {@code Content-Length} fields when they all agree
   * on one non-negative decimal number, else -1 (absent, invalid or conflicting).
   */
  public static long declaredLength(HeaderLookup response) {
    long found = -1;
    for (String field : response.all("Content-Length")) {
      for (String part : field.split(",", -1)) {
        String v = part.trim();
        if (v.isEmpty() || v.length() > 18) {
          return -1;
        }
        for (int i = 0; i < v.length(); i++) {
          if (v.charAt(i) < '0' || v.charAt(i) > '9') {
            return -1;
          }
        }
        long n = Long.parseLong(v);
        if (found >= 0 && n != found) {
          return -1;
        }
        found = n;
      }
    }
    return found;
  }

  private static boolean isChunked(HeaderLookup response) {
    List<String> te = response.all("Transfer-Encoding");
    if (te.isEmpty()) {
      return false;
    }
    String last = te.get(te.size() - 1);
    String[] codings = last.split(",", -1);
    return codings[codings.length - 1].trim().equalsIgnoreCase("chunked");
  }

  /**
   * The class of the object at {@code url} whose response carried {@code response}; see the class
   * comment for the rules.
   */
  public static ObjectClass classify(String url, HeaderLookup response) {
    if (ContentHashName.expectedSha1(url).isPresent()) {
      return ObjectClass.IMMUTABLE;
    }
    String path = ContentHashName.pathOf(url);
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (isIndex(path, name)) {
      return ObjectClass.INDEX;
    }
    if (BY_HASH.matcher(path).find() || POOL_PACKAGE.matcher(path).find()) {
      return ObjectClass.IMMUTABLE;
    }
    String host = hostOf(url);
    if ((host.endsWith(".delivery.mp.microsoft.com") || host.equals("delivery.mp.microsoft.com"))
        && path.startsWith("/filestreamingservice/files/")) {
      return ObjectClass.IMMUTABLE;
    }
    if (CacheControl.parse(response.all("Cache-Control")).has("immutable")) {
      return ObjectClass.IMMUTABLE;
    }
    return ObjectClass.ORDINARY;
  }

  private static boolean isIndex(String path, String name) {
    if (DEBIAN_INDEX.matcher(name).matches() || WINDOWS_INDEX.matcher(name).matches()) {
      return true;
    }
    if (name.equals("index")) {
      String parent = path.substring(0, path.lastIndexOf('/'));
      return parent.toLowerCase(Locale.ROOT).endsWith(".diff");
    }
    return false;
  }

  private static String hostOf(String url) {
    int start = url.indexOf("://");
    if (start < 0) {
      return "";
    }
    int end = url.length();
    for (int i = start + 3; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == ':') {
        end = i;
        break;
      }
    }
    return url.substring(start + 3, end).toLowerCase(Locale.ROOT);
  }

  /**
   * How long {@code meta} stays fresh after validation under {@code rules}: {@link #FOREVER} for
   * immutable objects, zero for index files, else as the class comment says.
   */
  public static Duration lifetime(StoredMeta meta, MirrorRules rules) {
    return lifetime(meta, rules, classify(meta.url(), meta.headerLookup()));
  }

  /** {@link #lifetime(StoredMeta, MirrorRules)} of an object already classified as {@code cls}. */
  static Duration lifetime(StoredMeta meta, MirrorRules rules, ObjectClass cls) {
    HeaderLookup h = meta.headerLookup();
    switch (cls) {
      case IMMUTABLE:
        return FOREVER;
      case INDEX:
        return Duration.ZERO;
      default:
        break;
    }
    if (rules.maxAge().isPresent()) {
      return rules.maxAge().get();
    }
    CacheControl cc = CacheControl.parse(h.all("Cache-Control"));
    if (cc.has("no-cache")) {
      return Duration.ZERO;
    }
    OptionalLong explicit = cc.seconds("s-maxage");
    if (explicit.isEmpty()) {
      explicit = cc.seconds("max-age");
    }
    if (explicit.isPresent()) {
      return Duration.ofSeconds(explicit.getAsLong());
    }
    List<String> expires = h.all("Expires");
    if (!expires.isEmpty()) {
      return HttpDates.first(expires)
          .map(e -> Duration.between(meta.responseDate(), e))
          .filter(d -> !d.isNegative())
          .orElse(Duration.ZERO);
    }
    Optional<Instant> lastModified = HttpDates.first(h.all("Last-Modified"));
    if (lastModified.isPresent() && lastModified.get().isBefore(meta.responseDate())) {
      Duration tenth = Duration.between(lastModified.get(), meta.responseDate()).dividedBy(10);
      return tenth.compareTo(HEURISTIC_CAP) > 0 ? HEURISTIC_CAP : tenth;
    }
    return Duration.ZERO;
  }

  /** Whether {@code meta} is fresh at {@code now}: its age is below its lifetime. */
  public static boolean fresh(StoredMeta meta, MirrorRules rules, Instant now) {
    return fresh(meta, rules, now, classify(meta.url(), meta.headerLookup()));
  }

  /** {@link #fresh(StoredMeta, MirrorRules, Instant)} of an object already classified. */
  static boolean fresh(StoredMeta meta, MirrorRules rules, Instant now, ObjectClass cls) {
    return meta.age(now).compareTo(lifetime(meta, rules, cls)) < 0;
  }
}
