package dev.patchgate.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files an operator imports: the Grafana dashboard, the Prometheus alert rules and
 * the scrape configuration. Their queries may name only the series the admin listener's {@code
 * /metrics} exposes ({@link #SERIES}); a misspelt name would leave a panel empty or an alert silent
 * without any error.
 *
 * <p>Where {@code promtool} is installed (Debian package {@code prometheus}), it also checks the
 * rule file, runs its unit tests ({@code src/test/resources/prometheus/patchgate-alerts-test.yml}:
 * every alert fires for a gateway in trouble, after its {@code for:}, and not for a healthy one),
 * checks the scrape configuration, and parses every dashboard query as PromQL.
 */
final class MonitoringFilesTest {
  private static final Path DASHBOARD = Path.of("grafana/patchgate-dashboard.json");
  private static final Path RULES = Path.of("prometheus/patchgate-alerts.yml");
  private static final Path SCRAPE = Path.of("prometheus/prometheus-scrape.yml");
  private static final Path RULES_TEST =
      Path.of("src/test/resources/prometheus/patchgate-alerts-test.yml");
  private static final String DATASOURCE = "${DS_PROMETHEUS}";
  private static final Pattern ALERT_LINE = Pattern.compile("^ {6}- alert: (\\w+)$");

  /**
   * The series {@code /metrics} exposes (Prometheus names), each with its labels; a label's values
   * are listed where they are a closed set, and empty where any value may come. {@code up} is
   * Prometheus's own series for every scrape. Every series also carries {@code instance} and {@code
   * job} from the scrape.
   */
  private static final Map<String, Map<String, Set<String>>> SERIES = new LinkedHashMap<>();

  static {
    series("up");
    series("patchgate_requests_total", "decision", "allow", "deny", "error");
    series("patchgate_requests_rate_limited_total");
    series("patchgate_connections_refused_total", "limit", "per_client", "total");
    series("patchgate_connections_timed_out_total", "phase", "header");
    series("patchgate_connections_limit");
    series("patchgate_bytes_total", "direction", "to_client", "from_client");
    series("patchgate_connections_active");
    series("patchgate_tunnels_active");
    series("patchgate_mirror_hits_total");
    series("patchgate_mirror_misses_total");
    series("patchgate_mirror_stored_bytes");
    series("patchgate_mirror_objects");
    series("patchgate_mirror_fills_total", "result");
    series("patchgate_mirror_evictions_total", "cause");
    series(
        "patchgate_upstream_errors_total",
        "reason",
        "not_found",
        "unreachable",
        "timeout",
        "broken",
        "switched_protocols");
    series("patchgate_upstream_parent_up", "parent");
    series("patchgate_upstream_parent_failures_total", "parent");
    series("patchgate_audit_forward_connected");
    series("patchgate_audit_forward_backlog_bytes");
    series("patchgate_audit_forward_sent_total");
    series("patchgate_audit_healthy");
    series("patchgate_audit_write_failures_total");
    series("patchgate_audit_dropped_total");
    series("patchgate_audit_disk_free_bytes");
    series("patchgate_allowlist_valid");
    series("patchgate_allowlist_reloads_total", "result", "ok", "rejected");
    series("patchgate_alerts_sent_total", "channel");
    series("patchgate_alerts_failed_total", "channel");
    series("patchgate_ready");
    series("patchgate_build_info", "version");
    series("jvm_memory_used_bytes", "area", "heap", "nonheap");
    SERIES.get("jvm_memory_used_bytes").put("id", Set.of());
    series("jvm_memory_max_bytes", "area", "heap", "nonheap");
    SERIES.get("jvm_memory_max_bytes").put("id", Set.of());
    series("jvm_threads_live_threads");
    for (String suffix : List.of("_count", "_sum", "_max")) {
      series("jvm_gc_pause_seconds" + suffix, "action");
      SERIES.get("jvm_gc_pause_seconds" + suffix).putAll(Map.of("cause", Set.of(), "gc", Set.of()));
    }
    series("process_cpu_usage");
    series("process_open_fds");
    series("process_max_fds");
    series("process_resident_memory_bytes");
    series("process_start_time_seconds");
  }

  private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

  /** Alerts the README promises a hospital operator. */
  private static final List<String> ALERTS =
      List.of(
          "PatchgateDown",
          "PatchgateNotReady",
          "PatchgateAuditUnhealthy",
          "PatchgateAllowlistInvalid",
          "PatchgateDeniedBurst",
          "PatchgateUpstreamErrors",
          "PatchgateFdsNearLimit",
          "PatchgateAlertDeliveryFailing",
          "PatchgateParentProxyDown",
          "PatchgateAuditForwardingStalled");

  private static String dashboardText;
  private static Map<String, Object> dashboard;
  private static List<Map<String, Object>> panels;

  @TempDir Path work;

  @BeforeAll
  static void readDashboard() throws IOException {
    dashboardText = Files.readString(DASHBOARD, UTF_8);
    // Typesafe Config in its JSON syntax is a strict JSON parser: no comments, no trailing commas,
    // no duplicate keys.
    dashboard =
        ConfigFactory.parseString(
                dashboardText, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON))
            .root()
            .unwrapped();
    panels = new ArrayList<>();
    for (Map<String, Object> panel : maps(dashboard.get("panels"))) {
      panels.add(panel);
      // A collapsed row holds its panels inside it.
      if (panel.get("panels") != null) {
        panels.addAll(maps(panel.get("panels")));
      }
    }
  }

  @Test
  void dashboardAsksForThePrometheusDatasourceOnImport() {
    assertThat(maps(dashboard.get("__inputs")))
        .singleElement()
        .satisfies(
            input ->
                assertThat(input)
                    .containsEntry("name", "DS_PROMETHEUS")
                    .containsEntry("type", "datasource")
                    .containsEntry("pluginId", "prometheus"));
    assertThat(((Number) dashboard.get("schemaVersion")).intValue()).isBetween(36, 41);
    assertThat(dashboard).containsEntry("uid", "patchgate").containsEntry("id", null);
    assertThat(dashboard.get("title")).isEqualTo("patchgate");
  }

  @Test
  void dashboardHasAnInstanceVariableFromTheSameDatasource() {
    Map<String, Object> templating = map(dashboard.get("templating"));
    Map<String, Object> instance =
        maps(templating.get("list")).stream()
            .filter(variable -> "instance".equals(variable.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no template variable `instance`"));

    assertThat(instance).containsEntry("type", "query").containsEntry("multi", true);
    assertThat(map(instance.get("datasource"))).containsEntry("uid", DATASOURCE);
    String query = (String) map(instance.get("query")).get("query");
    Matcher labelValues = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)").matcher(query);
    assertThat(labelValues.matches()).as(query).isTrue();
    assertThat(SERIES).containsKey(labelValues.group(1));
    assertThat(labelValues.group(2)).isEqualTo("instance");
  }

  @Test
  void everyPanelQueriesThroughTheImportedDatasource() {
    List<Map<String, Object>> queried = queryingPanels();

    assertThat(queried).hasSizeGreaterThanOrEqualTo(20);
    for (Map<String, Object> panel : queried) {
      String title = (String) panel.get("title");
      assertThat(map(panel.get("datasource")))
          .as(title)
          .containsEntry("type", "prometheus")
          .containsEntry("uid", DATASOURCE);
      assertThat(maps(panel.get("targets"))).as(title).isNotEmpty();
      for (Map<String, Object> target : maps(panel.get("targets"))) {
        assertThat(map(target.get("datasource"))).as(title).containsEntry("uid", DATASOURCE);
        assertThat((String) target.get("expr")).as(title).isNotBlank();
      }
    }
    for (Map<String, Object> panel : panels) {
      if ("row".equals(panel.get("type"))) {
        assertThat(panel).as("row " + panel.get("title")).doesNotContainKey("targets");
      }
    }
  }

  @Test
  void panelIdsAreUniqueAndPanelsDoNotOverlap() {
    Set<Object> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (Map<String, Object> panel : panels) {
      assertThat(ids.add(panel.get("id"))).as("panel id " + panel.get("id") + " repeats").isTrue();
      Map<String, Object> grid = map(panel.get("gridPos"));
      int[] box = {
        number(grid, "x"), number(grid, "y"), number(grid, "w"), number(grid, "h"),
      };
      assertThat(box[0] + box[2])
          .as(panel.get("title") + " fits 24 columns")
          .isLessThanOrEqualTo(24);
      for (int[] other : boxes) {
        boolean apart =
            box[0] + box[2] <= other[0]
                || other[0] + other[2] <= box[0]
                || box[1] + box[3] <= other[1]
                || other[1] + other[3] <= box[1];
        assertThat(apart).as(panel.get("title") + " overlaps another panel").isTrue();
      }
      boxes.add(box);
    }
    assertThat(ids).hasSize(panels.size());
  }

  @Test
  void dashboardQueriesNameOnlyExposedSeriesFilteredByInstance() {
    for (Map<String, Object> panel : queryingPanels()) {
      for (Map<String, Object> target : maps(panel.get("targets"))) {
        String expr = (String) target.get("expr");
        List<Selector> selectors = PromQl.check(expr);
        assertThat(selectors).as(expr).isNotEmpty();
        for (Selector selector : selectors) {
          assertThat(selector.matchers())
              .as(panel.get("title") + ": " + expr)
              .containsEntry("instance", "=~$instance");
        }
      }
    }
  }

  @Test
  void dashboardShowsEveryPatchgateSeriesAndTheWatchedJvmAndProcessOnes() {
    Set<String> shown = new LinkedHashSet<>();
    for (Map<String, Object> panel : queryingPanels()) {
      for (Map<String, Object> target : maps(panel.get("targets"))) {
        PromQl.check((String) target.get("expr")).forEach(s -> shown.add(s.metric()));
      }
    }

    Set<String> expected = new LinkedHashSet<>();
    SERIES.keySet().stream().filter(name -> name.startsWith("patchgate_")).forEach(expected::add);
    expected.addAll(
        List.of(
            "up",
            "jvm_memory_used_bytes",
            "jvm_memory_max_bytes",
            "process_open_fds",
            "process_max_fds",
            "process_cpu_usage"));
    assertThat(shown).containsAll(expected);
  }

  @Test
  void healthStatsAreRedAtZeroAndGreenAtOne() {
    Map<String, String> healthSeries =
        Map.of(
            "Ready", "patchgate_ready",
            "Audit log", "patchgate_audit_healthy",
            "Allowlist", "patchgate_allowlist_valid",
            "Scraped", "up");
    for (Map.Entry<String, String> health : healthSeries.entrySet()) {
      Map<String, Object> panel = panelTitled(health.getKey());
      assertThat(panel).containsEntry("type", "stat");
      assertThat((String) maps(panel.get("targets")).get(0).get("expr"))
          .startsWith(health.getValue() + "{");
      Map<String, Object> defaults = map(map(panel.get("fieldConfig")).get("defaults"));
      List<Map<String, Object>> steps = maps(map(defaults.get("thresholds")).get("steps"));
      assertThat(steps).hasSize(2);
      assertThat(steps.get(0)).containsEntry("color", "red").containsEntry("value", null);
      assertThat(steps.get(1)).containsEntry("color", "green");
      assertThat(((Number) steps.get(1).get("value")).intValue()).isEqualTo(1);
    }
  }

  @Test
  void dashboardLinksNowhere() {
    assertThat(dashboardText).doesNotContain("http://", "https://", "<img", "data:image");
  }

  @Test
  void ruleFileHasEveryAlertWithForSeverityAndAnnotations() throws IOException {
    Map<String, String> alerts = alertBlocks();

    assertThat(alerts.keySet()).containsAll(ALERTS);
    for (Map.Entry<String, String> alert : alerts.entrySet()) {
      String block = alert.getValue();
      assertThat(block)
          .as(alert.getKey())
          .containsPattern("(?m)^\\s+expr: \\S")
          .containsPattern("(?m)^\\s+for: \\d+[smh]$")
          .containsPattern("(?m)^\\s+severity: (critical|warning)$")
          .containsPattern("(?m)^\\s+summary: \"[^\"]*\\{\\{ \\$labels\\.instance }}[^\"]*\"$")
          .containsPattern("(?m)^\\s+description: >-$");
    }
    assertThat(alerts.get("PatchgateDown")).contains("expr: up{job=\"patchgate\"} == 0");
  }

  @Test
  void ruleExpressionsNameOnlyExposedSeries() throws IOException {
    Set<String> named = new LinkedHashSet<>();
    for (Map.Entry<String, String> alert : alertBlocks().entrySet()) {
      String expr = ruleExpression(alert.getValue());
      List<Selector> selectors = PromQl.check(expr);
      assertThat(selectors).as(alert.getKey()).isNotEmpty();
      selectors.forEach(selector -> named.add(selector.metric()));
    }
    assertThat(named)
        .contains(
            "up",
            "patchgate_ready",
            "patchgate_audit_healthy",
            "patchgate_allowlist_valid",
            "patchgate_upstream_errors_total",
            "process_open_fds",
            "patchgate_alerts_failed_total");
  }

  @Test
  void scrapeConfigScrapesTheAdminPortAsJobPatchgateAndLoadsTheRules() throws IOException {
    String scrape = Files.readString(SCRAPE, UTF_8);

    assertThat(scrape)
        .containsPattern("(?m)^scrape_configs:$")
        .containsPattern("(?m)^  - job_name: patchgate$")
        .containsPattern("(?m)^    metrics_path: /metrics$")
        .containsPattern("(?m)^rule_files:\\n  - \\S+/patchgate-alerts\\.yml$");
    List<String> targets = new ArrayList<>();
    Matcher target = Pattern.compile("(?m)^ {10}- (\\S+)$").matcher(scrape);
    while (target.find()) {
      targets.add(target.group(1));
    }
    assertThat(targets).isNotEmpty().allSatisfy(t -> assertThat(t).endsWith(":9128"));
  }

  @Test
  void promtoolAcceptsTheRulesAndEveryAlertFiresOnlyForTheGatewayInTrouble() throws Exception {
    assumeTrue(promtoolInstalled(), "promtool is not installed (Debian package prometheus)");
    Files.copy(RULES, work.resolve("patchgate-alerts.yml"));
    Files.copy(RULES_TEST, work.resolve("patchgate-alerts-test.yml"));

    assertThat(promtool("check", "rules", "patchgate-alerts.yml"))
        .contains("SUCCESS: " + alertBlocks().size() + " rules found");
    assertThat(promtool("test", "rules", "patchgate-alerts-test.yml")).contains("SUCCESS");
  }

  @Test
  void promtoolAcceptsTheScrapeConfiguration() throws Exception {
    assumeTrue(promtoolInstalled(), "promtool is not installed (Debian package prometheus)");
    Files.copy(RULES, work.resolve("patchgate-alerts.yml"));
    Files.writeString(
        work.resolve("prometheus.yml"),
        Files.readString(SCRAPE, UTF_8)
            .replaceFirst("(?m)^  - \\S+/patchgate-alerts\\.yml$", "  - patchgate-alerts.yml"),
        UTF_8);

    assertThat(promtool("check", "config", "prometheus.yml"))
        .contains("SUCCESS: prometheus.yml is valid prometheus config file syntax")
        .contains("SUCCESS: " + alertBlocks().size() + " rules found");
  }

  @Test
  void promtoolParsesEveryDashboardQuery() throws Exception {
    assumeTrue(promtoolInstalled(), "promtool is not installed (Debian package prometheus)");
    // Each query as a recording rule, with Grafana's variables as Prometheus would receive them.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int count = 0;
    for (Map<String, Object> panel : queryingPanels()) {
      for (Map<String, Object> target : maps(panel.get("targets"))) {
        String expr =
            ((String) target.get("expr"))
                .replace("$__rate_interval", "1m")
                .replace("$instance", "gw1:9128|gw2:9128");
        rules
            .append("      - record: dashboard_query_")
            .append(++count)
            .append("\n        expr: '")
            .append(expr.replace("'", "''"))
            .append("'\n");
      }
    }
    Files.writeString(work.resolve("dashboard-queries.yml"), rules, UTF_8);

    assertThat(promtool("check", "rules", "dashboard-queries.yml"))
        .contains("SUCCESS: " + count + " rules found");
  }

  private static List<Map<String, Object>> queryingPanels() {
    return panels.stream().filter(panel -> !"row".equals(panel.get("type"))).toList();
  }

  private static Map<String, Object> panelTitled(String title) {
    return panels.stream()
        .filter(panel -> title.equals(panel.get("title")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no panel titled " + title));
  }

  /** Each {@code - alert: Name} of the rule file with the lines that belong to it. */
  private static Map<String, String> alertBlocks() throws IOException {
    Map<String, String> blocks = new LinkedHashMap<>();
    String name = null;
    StringBuilder block = new StringBuilder();
    for (String line : Files.readAllLines(RULES, UTF_8)) {
      Matcher alert = ALERT_LINE.matcher(line);
      if (alert.matches() || line.startsWith("  - name:")) {
        if (name != null) {
          assertThat(blocks.put(name, block.toString())).as(name + " twice").isNull();
        }
        name = alert.matches() ? alert.group(1) : null;
        block.setLength(0);
      } else if (name != null) {
        block.append(line).append('\n');
      }
    }
    if (name != null) {
      assertThat(blocks.put(name, block.toString())).as(name + " twice").isNull();
    }
    return blocks;
  }

  /** The rule's {@code expr:}, on its line or as a {@code |} block below it. */
  private static String ruleExpression(String block) {
    Matcher inline = Pattern.compile("(?m)^ {8}expr: (?!\\|)(.+)$").matcher(block);
    if (inline.find()) {
      return inline.group(1);
    }
    Matcher literal = Pattern.compile("(?m)^ {8}expr: \\|\\n((?: {10}.*\\n)+)").matcher(block);
    assertThat(literal.find()).as("expr in\n" + block).isTrue();
    return literal.group(1);
  }

  /**
   * True when promtool is on the PATH. Where the package tests are required (CI, whose {@code
   * .ci/run} unpacks promtool), its absence fails the test instead of skipping it.
   */
  private static boolean promtoolInstalled() throws Exception {
    Process which = new ProcessBuilder("sh", "-c", "command -v promtool").start();
    which.getInputStream().readAllBytes();
    boolean installed = which.waitFor() == 0;
    if (!installed && "required".equals(System.getenv("PATCHGATE_PACKAGE_TESTS"))) {
      throw new AssertionError(
          "promtool is required (PATCHGATE_PACKAGE_TESTS=required) but not on the PATH");
    }
    return installed;
  }

  private String promtool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static void series(String name, String... labelAndValues) {
    Map<String, Set<String>> labels = new LinkedHashMap<>();
    if (labelAndValues.length > 0) {
      labels.put(
          labelAndValues[0],
          Set.of(List.of(labelAndValues).subList(1, labelAndValues.length).toArray(new String[0])));
    }
    SERIES.put(name, labels);
  }

  private static int number(Map<String, Object> map, String key) {
    return ((Number) map.get(key)).intValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Map<String, Object>>) value;
  }

  /** A series selector in a query: the metric name and its matchers, label to op and value. */
  private record Selector(String metric, Map<String, String> matchers) {}

  /**
   * Just enough of PromQL to find every name a query uses: series selectors with their label
   * matchers, the labels of {@code by}/{@code without}/{@code on}/{@code ignoring}, and functions.
   * Each must be known: a series from {@link #SERIES}, a label that series has (or {@code
   * instance}/{@code job}), a value from the label's closed set, a PromQL function or keyword.
   */
  private static final class PromQl {
    private static final Set<String> FUNCTIONS =
        Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "rate",
            "irate",
            "increase",
            "time",
            "absent",
            "clamp_min",
            "clamp_max",
            "max_over_time",
            "min_over_time",
            "avg_over_time",
            "topk",
            "bottomk",
            "histogram_quantile",
            "vector",
            "scalar",
            "delta",
            "deriv",
            "changes");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool");
    private static final Set<String> LABEL_LISTS =
        Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Pattern MATCHER =
        Pattern.compile("\\s*([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    static List<Selector> check(String expr) {
      List<Selector> selectors = new ArrayList<>();
      Set<String> groupingLabels = new LinkedHashSet<>();
      // Range and subquery windows hold durations and Grafana's $__rate_interval, never names.
      String text = expr.replaceAll("\\[[^\\]]*\\]", " ");
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (Character.isLetter(c) || c == '_' || c == ':') {
          int end = i;
          while (end < text.length()
              && (Character.isLetterOrDigit(text.charAt(end))
                  || text.charAt(end) == '_'
                  || text.charAt(end) == ':')) {
            end++;
          }
          String word = text.substring(i, end);
          int next = skipSpaces(text, end);
          boolean call = next < text.length() && text.charAt(next) == '(';
          if (LABEL_LISTS.contains(word) && call) {
            int close = text.indexOf(')', next);
            for (String label : text.substring(next + 1, close).split(",", -1)) {
              if (!label.isBlank()) {
                groupingLabels.add(label.strip());
              }
            }
            i = close + 1;
          } else if (call) {
            assertThat(FUNCTIONS).as("function in " + expr).contains(word);
            i = next + 1;
          } else if (KEYWORDS.contains(word) || LABEL_LISTS.contains(word)) {
            i = end;
          } else if (FUNCTIONS.contains(word)
              && (text.startsWith("by", next) || text.startsWith("without", next))) {
            // An aggregation with its grouping first: sum by (decision) (...).
            i = end;
          } else {
            Map<String, String> matchers = new LinkedHashMap<>();
            i = next;
            if (next < text.length() && text.charAt(next) == '{') {
              int close = matcherBlockEnd(text, next);
              parseMatchers(expr, text.substring(next + 1, close), matchers);
              i = close + 1;
            }
            selectors.add(known(expr, new Selector(word, matchers)));
          }
        } else if (Character.isDigit(c) || c == '.') {
          while (i < text.length()
              && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
            i++;
          }
        } else if (c == '{') {
          fail("a selector without a metric name in " + expr);
        } else if (c == '"' || c == '\'') {
          fail("a string outside a selector in " + expr);
        } else {
          i++;
        }
      }
      Set<String> labels = new HashSet<>(TARGET_LABELS);
      selectors.forEach(selector -> labels.addAll(SERIES.get(selector.metric()).keySet()));
      assertThat(labels).as("grouping labels in " + expr).containsAll(groupingLabels);
      return selectors;
    }

    private static Selector known(String expr, Selector selector) {
      Map<String, Set<String>> labels = SERIES.get(selector.metric());
      assertThat(labels).as(selector.metric() + " (in " + expr + ") is exposed").isNotNull();
      for (Map.Entry<String, String> matcher : selector.matchers().entrySet()) {
        String label = matcher.getKey();
        if (TARGET_LABELS.contains(label)) {
          continue;
        }
        assertThat(labels).as(selector.metric() + " has label " + label).containsKey(label);
        Set<String> values = labels.get(label);
        String value = matcher.getValue().replaceFirst("^(=~|!~|!=|=)", "");
        if (!values.isEmpty() && !value.startsWith("$")) {
          for (String alternative : value.split("\\|", -1)) {
            assertThat(values)
                .as(selector.metric() + "{" + label + "} in " + expr)
                .contains(alternative);
          }
        }
      }
      return selector;
    }

    private static void parseMatchers(String expr, String block, Map<String, String> matchers) {
      Matcher matcher = MATCHER.matcher(block);
      int at = 0;
      while (at < block.length() && matcher.find(at) && matcher.start() == at) {
        String op = matcher.group(2);
        // "=~$instance": op and value, so one assertion reads both.
        matchers.put(matcher.group(1), op + matcher.group(3));
        at = matcher.end();
      }
      assertThat(block.substring(at)).as("label matchers in " + expr).isBlank();
    }

    private static int matcherBlockEnd(String text, int open) {
      boolean quoted = false;
      for (int i = open + 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == '}' && !quoted) {
          return i;
        }
      }
      throw new AssertionError("unclosed { in " + text);
    }

    private static int skipSpaces(String text, int from) {
      int i = from;
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      return i;
    }
  }
}
