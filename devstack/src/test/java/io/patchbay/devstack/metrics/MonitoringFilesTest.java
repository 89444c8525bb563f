package io.patchbay.devstack.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The monitoring files agree with {@code docker-compose.yml} and with each other: Prometheus scrapes both apps, and
 * compose's healthchecks ask them, at the compose services and the management ports they listen on (the adapter's
 * off its public port), Grafana is provisioned with that Prometheus and the dashboard, and
 * every dashboard query selects metrics ({@link MetricsIT} checks those exist in a real scrape).
 */
class MonitoringFilesTest {

    @Test
    @SuppressWarnings("unchecked")
    void prometheusAndHealthchecksAskEachAppAtItsManagementPort() throws IOException {
        Map<String, Object> compose = MonitoringFiles.yaml("docker-compose.yml");
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        List<String> targets = new ArrayList<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) MonitoringFiles.yaml("monitoring/prometheus.yml").get("scrape_configs")) {
            assertThat(job.get("metrics_path")).as("job %s", job.get("job_name")).isEqualTo("/actuator/prometheus");
            for (Map<String, Object> config : (List<Map<String, Object>>) job.get("static_configs")) {
                targets.addAll((List<String>) config.get("targets"));
            }
        }
        Object adapterManagementPort = environment(services.get("adapter")).get("MANAGEMENT_SERVER_PORT");
        assertThat(adapterManagementPort).as("the adapter's actuator is off its public port").isNotNull()
                .isNotEqualTo(serverPort("api-adapter", "patchbay-adapter"));
        assertThat(targets).containsExactlyInAnyOrder("adapter:" + adapterManagementPort,
                "processor:" + serverPort("processor", "patchbay-processor"));
        assertThat(healthcheck(services.get("adapter"))).as("the adapter's healthcheck asks its management port")
                .contains("/dev/tcp/127.0.0.1/" + adapterManagementPort + " ");
        assertThat(healthcheck(services.get("processor")))
                .contains("/dev/tcp/127.0.0.1/" + serverPort("processor", "patchbay-processor") + " ");
        for (String service : List.of("adapter", "processor")) {
            assertThat(environment(services.get(service))).as("%s's environment", service).doesNotContainKey("SERVER_PORT");
        }
        assertThat((List<String>) services.get("prometheus").get("volumes"))
                .contains("./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaIsProvisionedWithThatPrometheusAndTheDashboard() {
        Map<String, Object> compose = MonitoringFiles.yaml("docker-compose.yml");
        Map<String, Object> grafana = ((Map<String, Map<String, Object>>) compose.get("services")).get("grafana");
        List<String> volumes = (List<String>) grafana.get("volumes");
        Map<String, Object> datasource = ((List<Map<String, Object>>) MonitoringFiles
                .yaml("monitoring/grafana/provisioning/datasources/prometheus.yml").get("datasources")).get(0);
        Map<String, Object> provider = ((List<Map<String, Object>>) MonitoringFiles
                .yaml("monitoring/grafana/provisioning/dashboards/patchbay.yml").get("providers")).get(0);

        assertThat(volumes).contains("./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./monitoring/grafana/dashboards:" + ((Map<String, Object>) provider.get("options")).get("path") + ":ro");
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
        JsonNode panels = MonitoringFiles.dashboard().get("panels");
        assertThat(panels.size()).isGreaterThanOrEqualTo(10);
        for (JsonNode panel : panels) {
            assertThat(panel.get("datasource").get("uid").stringValue()).as(panel.get("title").stringValue())
                    .isEqualTo(datasource.get("uid"));
            assertThat(panel.get("targets").size()).as(panel.get("title").stringValue()).isPositive();
            for (JsonNode target : panel.get("targets")) {
                assertThat(MonitoringFiles.metricNames(target.get("expr").stringValue())).as(target.get("expr").stringValue())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void metricNamesOfAQuerySkipFunctionsLabelsGroupingsAndRanges() {
        assertThat(MonitoringFiles.metricNames("histogram_quantile(0.99, sum by (le, resource) (rate("
                + "patchbay_command_decision_latency_seconds_bucket{application=\"patchbay-processor\"}[$__rate_interval])))"
                + " / on (resource) sum(patchbay_batch_size_records_count offset 5m) > bool 0"))
                .containsExactly("patchbay_batch_size_records_count", "patchbay_command_decision_latency_seconds_bucket");
    }

    private static int serverPort(String module, String name) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(MonitoringFiles.ROOT.resolve(module + "/src/main/resources/" + name
                + ".properties"))));
        return Integer.parseInt(properties.getProperty("server.port"));
    }

    @SuppressWarnings("unchecked")
    private static String healthcheck(Map<String, Object> service) {
        return String.join(" ", (List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        return environment instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
