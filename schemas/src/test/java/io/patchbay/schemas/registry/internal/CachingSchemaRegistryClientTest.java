package io.patchbay.schemas.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.testing.FakeRegistryServer;
import io.patchbay.schemas.testing.FakeRegistryServer.Request;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.net.URI;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CachingSchemaRegistryClientTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Tiny").namespace("test").fields()
            .requiredInt("n").endRecord();

    private final FakeRegistryServer server = FakeRegistryServer.start();
    private final CachingSchemaRegistryClient client = new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(
            new ConnectionSettings(List.of(URI.create(server.url())), null, 0, Duration.ZERO, Duration.ZERO,
                    Duration.ofSeconds(2), Duration.ofSeconds(5))), 2);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void reRegisteringTheSameSchemaUnderTheSameSubjectAsksTheRegistryOnce() {
        server.otherwise(request -> new FakeRegistryServer.Response(200, "{\"id\":4}"));

        for (int i = 0; i < 50; i++) {
            assertThat(client.register("s", SCHEMA)).isEqualTo(4);
        }
        assertThat(client.lookup("s", SCHEMA)).as("registered, so lookup knows it too").isEqualTo(4);

        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void concurrentRegistrationsUnderOneSubjectAskTheRegistryOnceAndAllGetItsId() throws Exception {
        int threads = 8;
        CountDownLatch release = new CountDownLatch(1);
        server.otherwise(request -> {
            awaitQuietly(release); // the first registration is held at the registry while the others arrive
            return new FakeRegistryServer.Response(200, "{\"id\":4}");
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Thread> workers = new CopyOnWriteArrayList<>();
            List<Future<Integer>> ids = IntStream.range(0, threads).mapToObj(i -> pool.submit(() -> {
                workers.add(Thread.currentThread());
                return client.register("s", SCHEMA);
            })).toList();

            Poll.until("one registration at the registry and the others waiting for it (or several at the registry)",
                    Duration.ofSeconds(10), () -> server.requests().size() > 1 || server.requests().size() == 1
                            && workers.size() == threads
                            && workers.stream().filter(t -> t.getState() == Thread.State.BLOCKED).count() == threads - 1);
            release.countDown();

            for (Future<Integer> id : ids) {
                assertThat(id.get(10, TimeUnit.SECONDS)).isEqualTo(4);
            }
            assertThat(server.requests()).as("registrations that reached the registry").hasSize(1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anotherSubjectOrNormalizationIsAnotherEntry() {
        server.otherwise(request -> new FakeRegistryServer.Response(200, "{\"id\":4}"));

        client.register("s", SCHEMA);
        client.register("t", SCHEMA);
        client.register("s", SCHEMA, true);

        assertThat(server.requests()).extracting(Request::path)
                .containsExactly("/subjects/s/versions", "/subjects/t/versions", "/subjects/s/versions?normalize=true");
    }

    @Test
    void aSchemaIsFetchedByIdOnce() {
        server.otherwise(request -> new FakeRegistryServer.Response(200,
                JsonMapper.builder().build().createObjectNode().put("schema", SCHEMA.toString()).toString()));

        for (int i = 0; i < 50; i++) {
            assertThat(client.getById(9)).isEqualTo(SCHEMA);
        }

        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void registeringTeachesTheIdOfTheSchemaSoReadingItBackAsksNothing() {
        server.enqueue(200, "{\"id\":4}");

        client.register("s", SCHEMA);

        assertThat(client.getById(4)).isSameAs(SCHEMA);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void failuresAreNotCached() {
        server.enqueue(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}")
                .enqueue(200, JsonMapper.builder().build().createObjectNode().put("schema", SCHEMA.toString()).toString());

        assertThatThrownBy(() -> client.getById(9)).isInstanceOf(SchemaNotFoundException.class);
        assertThat(client.getById(9)).isEqualTo(SCHEMA);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void theIdCacheIsBounded() {
        server.otherwise(request -> new FakeRegistryServer.Response(200,
                JsonMapper.builder().build().createObjectNode().put("schema", SCHEMA.toString()).toString()));

        client.getById(1);
        client.getById(2);
        client.getById(3); // capacity 2: one of the first two is evicted
        client.getById(1);
        client.getById(2);

        assertThat(server.requests()).hasSizeBetween(4, 5);
    }

    @Test
    void latestVersionsAreNeverCachedHere() {
        server.otherwise(request -> new FakeRegistryServer.Response(200, JsonMapper.builder().build().createObjectNode()
                .put("subject", "s").put("id", 1).put("version", 1).put("schema", SCHEMA.toString()).toString()));

        client.latest("s");
        client.latest("s");

        assertThat(server.requests()).hasSize(2);
    }
}
