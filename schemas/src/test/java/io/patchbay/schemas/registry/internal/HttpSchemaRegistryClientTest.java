package io.patchbay.schemas.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.patchbay.schemas.registry.IncompatibleSchemaException;
import io.patchbay.schemas.registry.InvalidSchemaException;
import io.patchbay.schemas.registry.RegisteredSchema;
import io.patchbay.schemas.registry.RegistryAuthException;
import io.patchbay.schemas.registry.RegistryNotFoundException;
import io.patchbay.schemas.registry.RegistryUnavailableException;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.registry.SchemaRegistryException;
import io.patchbay.schemas.registry.SubjectNotFoundException;
import io.patchbay.schemas.retry.Backoff;
import io.patchbay.schemas.testing.FakeRegistryServer;
import io.patchbay.schemas.testing.FakeRegistryServer.Request;
import io.patchbay.schemas.testing.FakeRegistryServer.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class HttpSchemaRegistryClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Schema SCHEMA = SchemaBuilder.record("Tiny").namespace("test").fields()
            .requiredInt("n").endRecord();

    private final FakeRegistryServer server = FakeRegistryServer.start();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpSchemaRegistryClient client() {
        return client(settings(server.url(), null, 3));
    }

    private HttpSchemaRegistryClient client(ConnectionSettings settings) {
        return new HttpSchemaRegistryClient(settings, sleeps::add);
    }

    private static ConnectionSettings settings(String url, String authorization, int maxRetries) {
        return new ConnectionSettings(List.of(URI.create(url)), authorization, maxRetries, Duration.ofMillis(100),
                Duration.ofMillis(1_000), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static String schemaAnswer(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String error(int code, String message) {
        return "{\"error_code\":" + code + ",\"message\":\"" + message + "\"}";
    }

    // ------------------------------------------------------------------ requests

    @Test
    void registerPostsTheSchemaWithTheRegistryContentTypeAndReturnsTheId() {
        server.enqueue(200, "{\"id\":42}");

        int id = client().register("orders-value", SCHEMA);

        assertThat(id).isEqualTo(42);
        Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/subjects/orders-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.accept()).startsWith("application/vnd.schemaregistry.v1+json");
        JsonNode body = JSON.readTree(request.body());
        assertThat(new Schema.Parser().parse(body.get("schema").asString())).isEqualTo(SCHEMA);
        assertThat(request.authorization()).isNull();
    }

    @Test
    void normalizeAsksTheRegistryToNormalizeOnRegisterAndLookup() {
        server.enqueue(200, "{\"id\":1}").enqueue(200, "{\"id\":1,\"version\":1}");

        client().register("s", SCHEMA, true);
        client().lookup("s", SCHEMA, true);

        assertThat(server.requests()).extracting(Request::path)
                .containsExactly("/subjects/s/versions?normalize=true", "/subjects/s?normalize=true");
    }

    @Test
    void aSubjectIsSentAsOneEncodedPathSegment() {
        server.enqueue(200, "{\"id\":1}");

        client().register("team a/orders-value", SCHEMA);

        assertThat(server.requests().get(0).path()).isEqualTo("/subjects/team%20a%2Forders-value/versions");
    }

    @Test
    void lookupPostsToTheSubjectAndReturnsTheId() {
        server.enqueue(200, "{\"subject\":\"s\",\"id\":7,\"version\":2,\"schema\":" + JSON.writeValueAsString(SCHEMA.toString()) + "}");

        assertThat(client().lookup("s", SCHEMA)).isEqualTo(7);
        assertThat(server.requests().get(0).method()).isEqualTo("POST");
        assertThat(server.requests().get(0).path()).isEqualTo("/subjects/s");
    }

    @Test
    void getByIdParsesTheSchemaOfTheAnswer() {
        server.enqueue(200, schemaAnswer(SCHEMA));

        assertThat(client().getById(5)).isEqualTo(SCHEMA);
        assertThat(server.requests().get(0).method()).isEqualTo("GET");
        assertThat(server.requests().get(0).path()).isEqualTo("/schemas/ids/5");
    }

    @Test
    void getByIdRefusesASchemaThatIsNotAvro() {
        server.enqueue(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");

        assertThatThrownBy(() -> client().getById(5))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("schema id 5")
                .hasMessageContaining("PROTOBUF, not AVRO");
    }

    @Test
    void getByIdResolvesSchemaReferencesByFetchingTheReferencedVersions() {
        Schema actor = SchemaBuilder.record("Actor").namespace("test").fields().requiredString("id").endRecord();
        String main = "{\"type\":\"record\",\"name\":\"Event\",\"namespace\":\"test\",\"fields\":[{\"name\":\"actor\",\"type\":\"Actor\"}]}";
        server.enqueue(200, JSON.createObjectNode().put("schema", main).set("references",
                JSON.readTree("[{\"name\":\"test.Actor\",\"subject\":\"actor-subject\",\"version\":3}]")).toString());
        server.enqueue(200, JSON.createObjectNode().put("subject", "actor-subject").put("version", 3).put("id", 9)
                .put("schema", actor.toString()).toString());

        Schema resolved = client().getById(10);

        assertThat(resolved.getField("actor").schema()).isEqualTo(actor);
        assertThat(server.requests()).extracting(Request::path)
                .containsExactly("/schemas/ids/10", "/subjects/actor-subject/versions/3");
    }

    @Test
    void latestReturnsSubjectIdVersionAndSchema() {
        server.enqueue(200, JSON.createObjectNode().put("subject", "s").put("id", 12).put("version", 4)
                .put("schema", SCHEMA.toString()).toString());

        RegisteredSchema latest = client().latest("s");

        assertThat(latest).isEqualTo(new RegisteredSchema("s", 12, 4, SCHEMA));
        assertThat(server.requests().get(0).path()).isEqualTo("/subjects/s/versions/latest");
    }

    @Test
    void compatibilityIsCheckedAgainstTheLatestVersion() {
        server.enqueue(200, "{\"is_compatible\":true}").enqueue(200, "{\"is_compatible\":false,\"messages\":null}");

        assertThat(client().isCompatible("s", SCHEMA)).isTrue();
        assertThat(client().isCompatible("s", SCHEMA)).isFalse();
        assertThat(server.requests()).extracting(Request::method, Request::path).containsOnly(
                tuple("POST", "/compatibility/subjects/s/versions/latest"));
    }

    @Test
    void aSubjectWithoutVersionsAcceptsAnySchema() {
        server.enqueue(404, error(40401, "Subject 's' not found."));

        assertThat(client().isCompatible("s", SCHEMA)).isTrue();
    }

    @Test
    void compatibilityLevelsAreReadAndWrittenThroughConfig() {
        server.enqueue(200, "{\"compatibilityLevel\":\"BACKWARD\"}")
                .enqueue(200, "{\"compatibilityLevel\":\"FULL\"}")
                .enqueue(200, "{\"compatibility\":\"NONE\"}");

        assertThat(client().getCompatibility(null)).isEqualTo("BACKWARD");
        assertThat(client().getCompatibility("s")).isEqualTo("FULL");
        client().setCompatibility("s", "none");

        List<Request> requests = server.requests();
        assertThat(requests).extracting(Request::method, Request::path).containsExactly(
                tuple("GET", "/config"),
                tuple("GET", "/config/s?defaultToGlobal=true"),
                tuple("PUT", "/config/s"));
        assertThat(JSON.readTree(requests.get(2).body()).get("compatibility").asString()).isEqualTo("NONE");
    }

    @Test
    void aSubjectWithoutItsOwnLevelReportsTheGlobalOne() {
        server.enqueue(404, error(40408, "Subject 's' does not have subject-level compatibility configured"))
                .enqueue(200, "{\"compatibilityLevel\":\"BACKWARD\"}");

        assertThat(client().getCompatibility("s")).isEqualTo("BACKWARD");
        assertThat(server.requests()).extracting(Request::path).containsExactly("/config/s?defaultToGlobal=true", "/config");
    }

    @Test
    void anUnknownCompatibilityLevelIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> client().setCompatibility(null, "SIDEWAYS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIDEWAYS");
        assertThat(server.requests()).isEmpty();
    }

    // ------------------------------------------------------------------ error mapping

    @ParameterizedTest(name = "{0} answering 404 with error_code {1} -> {2}")
    @CsvSource({
            "getById, 40403, SchemaNotFoundException",
            "getById, 40401, SchemaNotFoundException",
            "getById, 40499, SchemaNotFoundException",
            "getById, , SchemaNotFoundException",
            "latest, 40401, SubjectNotFoundException",
            "latest, 40402, SubjectNotFoundException", // Apicurio's answer for an unknown subject
            "lookup, 40401, SubjectNotFoundException", // also Apicurio's answer for an unregistered schema
            "lookup, 40403, SchemaNotFoundException",
            "lookup, 40499, SchemaNotFoundException",
            "register, 40401, SubjectNotFoundException",
    })
    void every404IsANotFoundWhateverItsSubCode(String call, Integer errorCode, String expected) {
        server.enqueue(404, errorCode == null ? "" : error(errorCode, "not here"));

        RegistryNotFoundException thrown = catchThrowableOfType(RegistryNotFoundException.class, () -> invoke(call));

        assertThat(thrown.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(thrown.httpStatus()).isEqualTo(404);
        assertThat(thrown.errorCode()).isEqualTo(errorCode == null ? SchemaRegistryException.NO_ERROR_CODE : errorCode);
        assertThat(thrown.getMessage()).contains(server.url()).contains("answered 404");
        if (errorCode != null) {
            assertThat(thrown.getMessage()).contains("(error_code " + errorCode + "): not here");
        }
        assertThat(server.requests()).as("not retried").hasSize(1);
    }

    private void invoke(String call) {
        HttpSchemaRegistryClient client = client();
        switch (call) {
            case "getById" -> client.getById(3);
            case "latest" -> client.latest("s");
            case "lookup" -> client.lookup("s", SCHEMA);
            case "register" -> client.register("s", SCHEMA);
            default -> throw new IllegalArgumentException(call);
        }
    }

    @ParameterizedTest(name = "409 with error_code {0}")
    @CsvSource({"0", "409"})
    void aConflictIsAnIncompatibleSchemaWhateverItsErrorCodeWhenTheSchemaIsNotRegistered(int errorCode) {
        server.enqueue(409, error(errorCode, "Schema being registered is incompatible with an earlier schema"))
                .enqueue(404, error(40403, "Schema not found"));

        assertThatThrownBy(() -> client().register("orders-value", SCHEMA))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(errorCode);
                })
                .hasMessageContaining("registering schema test.Tiny under subject 'orders-value'")
                .hasMessageContaining("answered 409")
                .hasMessageContaining("incompatible with an earlier schema");
        assertThat(server.requests()).extracting(Request::path)
                .containsExactly("/subjects/orders-value/versions", "/subjects/orders-value");
    }

    @Test
    void aConflictOverASchemaRegisteredMeanwhileIsAnsweredWithItsId() {
        // Apicurio's answer to the second of two concurrent first registrations of one schema
        server.enqueue(409, error(409, "Artifact with ID 'orders-value' in group 'null' already exists."))
                .enqueue(200, "{\"subject\":\"orders-value\",\"id\":17,\"version\":1}");

        assertThat(client().register("orders-value", SCHEMA)).isEqualTo(17);
        assertThat(server.requests()).extracting(Request::method, Request::path).containsExactly(
                tuple("POST", "/subjects/orders-value/versions"),
                tuple("POST", "/subjects/orders-value"));
    }

    @Test
    void serverErrorsUntilTheRetriesAreSpentAreAnsweredWithTheIdWhenTheSchemaIsRegistered() {
        server.enqueue(500, error(50001, "Unique index or primary key violation"))
                .enqueue(500, error(50001, "Unique index or primary key violation"))
                .enqueue(500, error(50001, "Unique index or primary key violation"))
                .enqueue(500, error(50001, "Unique index or primary key violation"))
                .enqueue(200, "{\"subject\":\"s\",\"id\":23,\"version\":1}");

        assertThat(client().register("s", SCHEMA)).isEqualTo(23);
        assertThat(server.requests()).extracting(Request::path).containsExactly("/subjects/s/versions",
                "/subjects/s/versions", "/subjects/s/versions", "/subjects/s/versions", "/subjects/s");
    }

    @Test
    void serverErrorsUntilTheRetriesAreSpentStandWhenTheSchemaIsNotRegistered() {
        server.enqueue(500, "").enqueue(500, "").enqueue(500, "").enqueue(500, "")
                .enqueue(404, error(40401, "Subject not found"));

        RegistryUnavailableException thrown = catchThrowableOfType(RegistryUnavailableException.class,
                () -> client().register("s", SCHEMA));

        assertThat(thrown.httpStatus()).isEqualTo(500);
        assertThat(thrown.getMessage()).contains("unavailable after 4 attempts");
        assertThat(server.requests()).hasSize(5);
    }

    @Test
    void unprocessableIsAnInvalidSchema() {
        server.enqueue(422, error(42201, "Invalid schema"));

        assertThatThrownBy(() -> client().register("s", SCHEMA))
                .isInstanceOfSatisfying(InvalidSchemaException.class, e -> assertThat(e.errorCode()).isEqualTo(42201))
                .hasMessageContaining("answered 422 (error_code 42201): Invalid schema");
    }

    @ParameterizedTest
    @CsvSource({"401", "403"})
    void refusedCredentialsAreAnAuthFailureThatDoesNotLeakThem(int status) {
        server.enqueue(status, error(status * 100 + 1, "Unauthorized"));
        String authorization = "Basic dXNlcjpzM2NyZXQ=";
        HttpSchemaRegistryClient client = client(settings(server.url(), authorization, 3));

        assertThatThrownBy(() -> client.getById(1))
                .isInstanceOfSatisfying(RegistryAuthException.class, e -> assertThat(e.httpStatus()).isEqualTo(status))
                .hasMessageContaining("answered " + status)
                .hasMessageNotContaining("dXNlcjpzM2NyZXQ")
                .hasMessageNotContaining("s3cret");
        assertThat(server.requests()).singleElement().extracting(Request::authorization).isEqualTo(authorization);
    }

    @Test
    void otherClientErrorsKeepStatusAndMessage() {
        server.enqueue(400, "not json at all");

        assertThatThrownBy(() -> client().getById(1))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("answered 400: not json at all");
    }

    @Test
    void anAnswerThatIsNotJsonIsReportedAsSuch() {
        server.enqueue(200, "<html>proxy login</html>");

        assertThatThrownBy(() -> client().getById(1))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("not JSON: <html>proxy login</html>");
    }

    // ------------------------------------------------------------------ retries

    @Test
    void aServerErrorIsRetriedAndTheNextAnswerWins() {
        server.enqueue(500, error(50001, "Error in the backend data store")).enqueue(200, "{\"id\":3}");

        assertThat(client().register("s", SCHEMA)).isEqualTo(3);
        assertThat(server.requests()).hasSize(2);
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void tooManyRequestsIsRetried() {
        server.enqueue(429, "").enqueue(200, schemaAnswer(SCHEMA));

        assertThat(client().getById(1)).isEqualTo(SCHEMA);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aPersistentServerErrorGivesUpAfterTheConfiguredRetries() {
        server.otherwise(request -> new Response(503, error(50003, "Error while forwarding the request")));
        HttpSchemaRegistryClient client = client(settings(server.url(), null, 2));

        RegistryUnavailableException thrown = catchThrowableOfType(RegistryUnavailableException.class,
                () -> client.getById(8));

        assertThat(server.requests()).hasSize(3);
        assertThat(thrown.attempts()).isEqualTo(3);
        assertThat(thrown.httpStatus()).isEqualTo(503);
        assertThat(thrown.getMessage())
                .contains("fetching schema id 8")
                .contains("schema registry " + server.url() + " unavailable after 3 attempts")
                .contains("GET " + server.url() + "/schemas/ids/8 answered 503 (error_code 50003)");
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void anUnreachableRegistryGivesUpAfterBoundedAttemptsNamingUrlAndAttempts() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        HttpSchemaRegistryClient client = client(settings(url, null, 3));

        RegistryUnavailableException thrown = catchThrowableOfType(RegistryUnavailableException.class,
                () -> client.register("s", SCHEMA));

        assertThat(thrown.attempts()).isEqualTo(4);
        assertThat(thrown.getMessage())
                .contains("registering schema test.Tiny under subject 's'")
                .contains("schema registry " + url + " unavailable after 4 attempts")
                .contains("POST " + url + "/subjects/s/versions failed: ConnectException");
        assertThat(thrown.getCause()).isInstanceOf(IOException.class);
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void retriesMoveOnToTheNextUrl() throws IOException {
        server.enqueue(200, "{\"id\":11}");
        String down = "http://127.0.0.1:" + closedPort();
        ConnectionSettings settings = new ConnectionSettings(List.of(URI.create(down), URI.create(server.url())), null,
                1, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(5));

        assertThat(client(settings).register("s", SCHEMA)).isEqualTo(11);
    }

    @Test
    void anInterruptDuringBackoffStopsRetryingAndKeepsTheInterruptFlag() {
        server.otherwise(request -> new Response(500, ""));
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings(server.url(), null, 5), duration -> {
            throw new InterruptedException();
        });

        try {
            assertThatThrownBy(() -> client.getById(1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void backoffDoublesUpToItsCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000));

        assertThat(IntStream.rangeClosed(1, 6).mapToLong(backoff::nominalMillis).toArray())
                .containsExactly(100, 200, 400, 800, 1_000, 1_000);
        assertThat(backoff.nominalMillis(200)).isEqualTo(1_000);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long delay = backoff.delay(3).toMillis();
            assertThat(delay).isBetween(200L, 400L);
            seen.add(delay);
        }
        assertThat(seen).as("jittered").hasSizeGreaterThan(10);
    }

    @Test
    void theClientsBackoffGrowsBetweenAttempts() {
        server.otherwise(request -> new Response(502, ""));
        HttpSchemaRegistryClient client = client(settings(server.url(), null, 4));

        assertThatThrownBy(() -> client.getById(1)).isInstanceOf(RegistryUnavailableException.class);

        List<Long> millis = new ArrayList<>(sleeps.stream().map(Duration::toMillis).toList());
        assertThat(millis).hasSize(4);
        long[] nominal = {100, 200, 400, 800};
        for (int i = 0; i < nominal.length; i++) {
            assertThat(millis.get(i)).isBetween(nominal[i] / 2, nominal[i]);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
