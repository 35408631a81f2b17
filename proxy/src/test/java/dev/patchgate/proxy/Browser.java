package dev.patchgate.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Pdf;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.print.PageSize;
import org.openqa.selenium.print.PrintOptions;

/**
 * A real headless Chromium (Debian's {@code chromium}, driven through its {@code chromedriver} by
 * Selenium) with a 1366x768 window, the screen a hospital's PC has, for tests that look at pages as
 * a user sees them.
 *
 * <p>Nothing leaves the machine: Selenium Manager is never asked for a driver (both paths are
 * given), Chrome's background traffic (component updates, Safe Browsing, metrics, sync) is off, and
 * every host name but {@code localhost} (and the loopback address {@code 127.0.0.1}, which the
 * rules would otherwise map away too) resolves to nothing. When Chromium or its driver is missing,
 * {@link #start} fails the test with what to install; it never skips, since CI installs them. Not
 * thread-safe: one test drives one browser.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** The screen the pages must fit. */
  static final int WIDTH = 1366;

  static final int HEIGHT = 768;

  /** Where {@link #screenshot} and {@link #printA4} save their files, relative to the module. */
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static final Pattern PDF_PAGE = Pattern.compile("/Type\\s*/Page(?![a-zA-Z])");

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts Chromium; fails with what to install when it or its driver is missing. */
  static Browser start() throws IOException {
    return start(false);
  }

  /**
   * Starts Chromium that accepts a self-signed certificate (WebDriver's {@code
   * acceptInsecureCerts}), as an admin does who clicks through the warning for the console's own
   * keystore.
   */
  static Browser acceptingInsecureCerts() throws IOException {
    return start(true);
  }

  private static Browser start(boolean acceptInsecureCerts) throws IOException {
    requireInstalled(CHROMIUM, CHROMEDRIVER);
    // With the driver's path given Selenium Manager is skipped; were it ever run, Selenium hands
    // it the SE_* properties as its environment, and SE_OFFLINE keeps it off the internet.
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    Path profile = Files.createTempDirectory("patchgate-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    options.setAcceptInsecureCerts(acceptInsecureCerts);
    options.addArguments(
        "--headless=new",
        "--window-size=" + WIDTH + "," + HEIGHT,
        "--force-device-scale-factor=1",
        "--user-data-dir=" + profile,
        "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--lang=en-US",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
        "--metrics-recording-only",
        "--safebrowsing-disable-auto-update",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  /** Fails, naming what to install, unless every one of {@code programs} can be run. */
  static void requireInstalled(Path... programs) {
    for (Path program : programs) {
      if (!Files.isExecutable(program)) {
        throw new AssertionError(
            program
                + " is missing: the browser tests need Debian's chromium and chromium-driver"
                + " (apt-get install -y --no-install-recommends chromium chromium-driver;"
                + " .ci/run installs them)");
      }
    }
  }

  /** The driver itself, for what the helpers here do not cover (forms, clicks, cookies). */
  ChromeDriver driver() {
    return driver;
  }

  /** Loads {@code page} (a {@code file:} or loopback {@code http:} URI) and waits for its load. */
  void open(URI page) {
    driver.get(page.toString());
  }

  /**
   * Saves what the window shows as {@code target/screenshots/NAME.png} and returns the file; look
   * at it: a hospital's administrator should understand the page at a glance.
   */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  /**
   * Prints the page on A4 landscape as Chrome's "Save as PDF" does, at full scale (no shrinking to
   * fit, which would hide a page that is too wide), saves {@code target/screenshots/NAME.pdf} and
   * returns its number of pages.
   */
  int printA4(String name) throws IOException {
    PrintOptions print = new PrintOptions();
    print.setPageSize(PageSize.ISO_A4);
    print.setOrientation(PrintOptions.Orientation.LANDSCAPE);
    print.setShrinkToFit(false);
    Pdf pdf = driver.print(print);
    byte[] bytes = Base64.getDecoder().decode(pdf.getContent());
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name + ".pdf"), bytes);
    Matcher pages = PDF_PAGE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
    int count = 0;
    while (pages.find()) {
      count++;
    }
    return count;
  }

  /**
   * Lays the page out as it prints on A4 landscape (print media, the sheet's width between 10 mm
   * margins: 277 mm at 96 pixels an inch) and returns its scroll width then; the screen layout is
   * restored afterwards. Wider than the sheet means something would be cut off on paper.
   */
  long printScrollWidth() {
    long sheet = Math.round(277 / 25.4 * 96);
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", sheet, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
    try {
      return scrollWidth();
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
      driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
    }
  }

  /** The page's width in CSS pixels; more than the window's means it scrolls sideways. */
  long scrollWidth() {
    return (Long) script("return document.documentElement.scrollWidth");
  }

  /** The width of the window's viewport in CSS pixels. */
  long viewportWidth() {
    return (Long) script("return window.innerWidth");
  }

  /** The height in CSS pixels of each row of each table body, in document order. */
  List<Double> rowHeights() {
    List<Double> heights = new ArrayList<>();
    for (Object h :
        (List<?>)
            script(
                "return Array.from(document.querySelectorAll('tbody tr'))"
                    + ".map(r => r.getBoundingClientRect().height)")) {
      heights.add(((Number) h).doubleValue());
    }
    return heights;
  }

  /** The computed line height of the first element {@code css} selects, in CSS pixels. */
  double lineHeight(String css) {
    return ((Number)
            script(
                "const e = document.querySelector(arguments[0]);"
                    + "const s = getComputedStyle(e);"
                    + "return s.lineHeight === 'normal'"
                    + " ? parseFloat(s.fontSize) * 1.2 : parseFloat(s.lineHeight)",
                css))
        .doubleValue();
  }

  /** The text of every element {@code css} selects ({@code textContent}, all of it). */
  List<String> texts(String css) {
    List<String> texts = new ArrayList<>();
    for (WebElement e : driver.findElements(By.cssSelector(css))) {
      texts.add(e.getDomProperty("textContent"));
    }
    return texts;
  }

  /** The markup inside each element {@code css} selects ({@code innerHTML}). */
  List<String> htmls(String css) {
    List<String> htmls = new ArrayList<>();
    for (WebElement e : driver.findElements(By.cssSelector(css))) {
      htmls.add(e.getDomProperty("innerHTML"));
    }
    return htmls;
  }

  /** The {@code name} attribute of every element {@code css} selects. */
  List<String> attributes(String css, String name) {
    List<String> values = new ArrayList<>();
    for (WebElement e : driver.findElements(By.cssSelector(css))) {
      values.add(e.getDomAttribute(name));
    }
    return values;
  }

  /** What selecting the whole of the {@code index}th element {@code css} selects would copy. */
  String copiedText(String css, int index) {
    return (String)
        script(
            "const e = document.querySelectorAll(arguments[0])[arguments[1]];"
                + "const s = window.getSelection(); s.removeAllRanges(); s.selectAllChildren(e);"
                + "const t = s.toString(); s.removeAllRanges(); return t",
            css,
            index);
  }

  /** The number of elements {@code css} selects. */
  int count(String css) {
    return driver.findElements(By.cssSelector(css)).size();
  }

  /** Whether a JavaScript dialog ({@code alert}, {@code confirm}, {@code prompt}) is open. */
  boolean dialogOpen() {
    try {
      driver.switchTo().alert();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }

  /**
   * Runs {@code javascript} in the page as the test's probe (through DevTools, so the page's own
   * Content-Security-Policy, which forbids scripts, does not apply to it) and returns its result.
   */
  Object script(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(Browser::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Chromium may still be writing its profile as it exits; the temp directory is scratch
    }
  }
}
