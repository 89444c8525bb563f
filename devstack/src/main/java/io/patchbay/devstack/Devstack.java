package io.patchbay.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.jdbi.v3.core.Jdbi;

import io.patchbay.devstack.infra.Infrastructure;
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

    private Devstack() {
    }

    public static void main(String[] args) throws Exception {
        DevstackOptions options = DevstackOptions.parse(args);
        if (options.help()) {
            System.out.println(DevstackOptions.USAGE);
            return;
        }
        System.out.println("patchbay devstack: starting Kafka, PostgreSQL and the schema registry on loopback...");
        Infrastructure infrastructure = Infrastructure.start(new Infrastructure.Options(
                options.postgresPort(), options.registryPort(), options.dataDirectory(), Path.of(".devstack", "logs")));
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

    private static void writeInfo(Path file, ObjectNode info) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, JsonValues.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info));
    }
}
