package io.patchbay.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.LoggerFactory;

import io.patchbay.devstack.infra.EmbeddedInfrastructure;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.jdbi.StorePlugin;
import tools.jackson.databind.node.ObjectNode;

/**
 * The embedded default: Kafka, PostgreSQL and the schema registry on loopback, the processor and the adapter
 * in this JVM, demo data, and ready-to-paste curl commands. Ctrl-C stops everything, child processes included.
 */
public final class Devstack {

    private static final String LOGBACK = "io/patchbay/devstack/logback-devstack.xml";

    private Devstack() {
    }

    public static void main(String[] args) throws Exception {
        DevstackOptions options = DevstackOptions.parse(args);
        if (options.help()) {
            System.out.println(DevstackOptions.USAGE);
            return;
        }
        configureLogging(options.verbose());
        System.out.println("patchbay devstack: starting Kafka, PostgreSQL, the schema registry, the processor and the adapter"
                + (options.verbose() ? "..." : " (--verbose shows their logs)..."));
        EmbeddedInfrastructure.Options where = new EmbeddedInfrastructure.Options(options.postgresPort(), options.registryPort(),
                options.dataDirectory(), Path.of(".devstack", "logs"));
        EmbeddedInfrastructure infrastructure = options.verbose() ? EmbeddedInfrastructure.start(where)
                : QuietStdout.run(() -> EmbeddedInfrastructure.start(where));
        String jdbcUrl = infrastructure.postgres().createDatabase("patchbay");
        String baseUrl = "http://localhost:" + options.httpPort();
        PatchbayApps apps;
        try {
            apps = PatchbayApps.start(new PatchbayApps.Settings(infrastructure.kafka().bootstrapServers(), jdbcUrl,
                    infrastructure.registry().url(), Topics.DEFAULT.prefix(), options.httpPort(), baseUrl), Map.of());
        } catch (RuntimeException e) {
            infrastructure.close();
            throw e;
        }
        DemoData.Facts facts = DemoData.seed(Jdbi.create(jdbcUrl, PostgresServer.USER, "").installPlugin(new StorePlugin()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("patchbay devstack: stopping...");
            apps.close();
            infrastructure.close();
            stopped.countDown();
        }, "devstack-stop"));
        ObjectNode info = DevstackInfo.of(baseUrl, infrastructure, jdbcUrl, facts);
        Path infoFile = options.infoFile();
        writeInfo(infoFile, info);
        System.out.println(DevstackInfo.banner(info, infoFile));
        stopped.await();
    }

    /**
     * Selects devstack's logback configuration, for the broker and PostgreSQL (which log before Spring starts) and for
     * both apps (Spring Boot reads {@code logging.config}): warnings only, unless {@code verbose}. Runs before anything
     * logs.
     */
    private static void configureLogging(boolean verbose) {
        System.setProperty("patchbay.devstack.log-level", verbose ? "INFO" : "WARN");
        System.setProperty("patchbay.devstack.routine-level", verbose ? "INFO" : "ERROR");
        System.setProperty("logback.configurationFile", LOGBACK);
        // initialise logging here, on one thread, before the infrastructure starts logging from several
        LoggerFactory.getLogger(Devstack.class);
        // Spring Boot re-reads it from logging.config, and warns about the other one
        System.clearProperty("logback.configurationFile");
        System.setProperty("logging.config", "classpath:" + LOGBACK);
    }

    private static void writeInfo(Path file, ObjectNode info) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, JsonValues.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info));
    }
}
