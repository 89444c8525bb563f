package io.patchbay.devstack.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * How {@link ProductionShapeIT} reads {@code docker-compose.yml} and the README: interpolation as compose does it, and
 * the check that catches an environment variable no app would read.
 */
class ComposeFileTest {

    private static final String COMPOSE = """
            x-db: &db
              SPRING_DATASOURCE_URL: jdbc:postgresql://postgres:5432/patchbay
              SPRING_DATASOURCE_PASSWORD: ${PATCHBAY_DB_PASSWORD:-patchbay}
            services:
              processor:
                environment: &app
                  <<: *db
                  SPRING_KAFKA_BOOTSTRAP_SERVERS: kafka:9092
              adapter:
                environment:
                  <<: *app
                  PATCHBAY_API_IDEMPOTENCY_SECRET: ${SECRET:?set SECRET}
                  PATCHBAY_API_COMAND_WAIT: 2s
                  PRICE: $$5
              admin:
                environment:
                  - SPRING_DATASOURCE_USERNAME=${USER-nobody}
            """;

    @Test
    void environmentsAreMergedAndInterpolatedAsComposeDoes() {
        ComposeFile compose = ComposeFile.parse(COMPOSE, Map.of("SECRET", "s3", "PATCHBAY_DB_PASSWORD", ""));

        assertThat(compose.services()).containsExactly("processor", "adapter", "admin");
        assertThat(compose.environment("adapter")).containsExactly(
                Map.entry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/patchbay"),
                Map.entry("SPRING_DATASOURCE_PASSWORD", "patchbay"),
                Map.entry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
                Map.entry("PATCHBAY_API_IDEMPOTENCY_SECRET", "s3"),
                Map.entry("PATCHBAY_API_COMAND_WAIT", "2s"),
                Map.entry("PRICE", "$5"));
        assertThat(compose.environment("admin")).containsExactly(Map.entry("SPRING_DATASOURCE_USERNAME", "nobody"));
        assertThatThrownBy(() -> ComposeFile.parse(COMPOSE, Map.of()).environment("adapter"))
                .hasMessageContaining("compose needs SECRET: set SECRET");
    }

    @Test
    void aVariableThatNamesNoDocumentedSettingIsCaught() {
        DocumentedSettings documented = DocumentedSettings.parse("""
                ## Configuration
                | Property | App | Default | Meaning |
                |---|---|---|---|
                | `spring.datasource.url` / `.username` / `.password` | both | x | y |
                | `spring.kafka.bootstrap-servers` | both | x | y |
                | `patchbay.api.command-wait` | adapter | x | y |
                | `patchbay.api.idempotency-secret` | adapter | x | y |
                | `patchbay.processor.max-batch` | processor | x | y |
                ## Next
                """);
        ComposeFile compose = ComposeFile.parse(COMPOSE, Map.of("SECRET", "s3"));

        assertThat(documented.properties("adapter")).containsExactly("spring.datasource.url", "spring.datasource.username",
                "spring.datasource.password", "spring.kafka.bootstrap-servers", "patchbay.api.command-wait",
                "patchbay.api.idempotency-secret");
        assertThat(documented.undocumented(compose.environment("processor").keySet(), "processor")).isEmpty();
        assertThat(documented.undocumented(compose.environment("adapter").keySet(), "adapter"))
                .containsExactly("PATCHBAY_API_COMAND_WAIT", "PRICE");
        assertThat(documented.undocumented(java.util.Set.of("PATCHBAY_PROCESSOR_MAX_BATCH", "PATCHBAY_PROCESSOR_MAXBATCH"),
                "processor")).isEmpty();
    }

    @Test
    void theProjectsComposeFileGivesTheAppsOnlyDocumentedSettings() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        ComposeFile compose = ComposeFile.read(root.resolve("docker-compose.yml"), Map.of("PATCHBAY_IDEMPOTENCY_SECRET", "x"));
        DocumentedSettings documented = DocumentedSettings.fromReadme(root.resolve("README.md"));

        assertThat(Files.exists(root.resolve("docker-compose.yml"))).isTrue();
        assertThat(documented.undocumented(compose.environment("processor").keySet(), "processor")).isEmpty();
        assertThat(documented.undocumented(compose.environment("adapter").keySet(), "adapter")).isEmpty();
    }

    @Test
    void theAdminServiceReachesTheBrokerAndRegistryOfTheAppsAndKeysReplaysAsTheProcessorDoes() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        ComposeFile compose = ComposeFile.read(root.resolve("docker-compose.yml"), Map.of("PATCHBAY_IDEMPOTENCY_SECRET", "x",
                "PATCHBAY_PROCESSOR_KEY_FORMAT", "avro"));
        Map<String, String> admin = compose.environment("admin");
        Map<String, String> processor = compose.environment("processor");

        for (String name : java.util.List.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "PATCHBAY_SCHEMA_REGISTRY_URL",
                "SPRING_DATASOURCE_URL")) {
            assertThat(admin.get(name)).as(name).isNotBlank().isEqualTo(processor.get(name));
        }
        assertThat(admin.get("PATCHBAY_PROCESSOR_KEY_FORMAT")).isEqualTo("avro")
                .isEqualTo(processor.get("PATCHBAY_PROCESSOR_KEY_FORMAT"));
        assertThat(admin.get("PATCHBAY_API_IDEMPOTENCY_SECRET")).isEqualTo(compose.environment("adapter")
                .get("PATCHBAY_API_IDEMPOTENCY_SECRET"));
    }
}
