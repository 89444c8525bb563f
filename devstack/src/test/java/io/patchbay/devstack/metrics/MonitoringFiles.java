package io.patchbay.devstack.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * The monitoring files beside {@code docker-compose.yml}: Prometheus' scrape configuration, Grafana's provisioning
 * and the patchbay dashboard, and the metric names the dashboard's PromQL queries.
 */
final class MonitoringFiles {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DASHBOARD = ROOT.resolve("monitoring/grafana/dashboards/patchbay.json");

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

    private MonitoringFiles() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String relativePath) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(read(ROOT.resolve(relativePath)));
    }

    static JsonNode dashboard() {
        return JsonValues.MAPPER.readTree(read(DASHBOARD));
    }

    /** Every PromQL expression of the dashboard's panels. */
    static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").stringValue());
            }
        }
        return expressions;
    }

    /**
     * The metric names a PromQL expression selects: identifiers that are not functions, keywords, label names (in
     * braces or groupings), strings, range durations or Grafana variables.
     */
    static Set<String> metricNames(String expression) {
        String bare = STRING.matcher(expression).replaceAll("\"\"");
        bare = bare.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
