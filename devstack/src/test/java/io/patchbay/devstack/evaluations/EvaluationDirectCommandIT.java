package io.patchbay.devstack.evaluations;

import static io.patchbay.devstack.evaluations.EvaluationChecks.before;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.testing.data.TestCommands;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.store.auth.SecretHasher;
import io.patchbay.testing.http.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * Commands written straight to the commands topic by a producer, not by the adapter: the processor must not
 * trust them (api-contract §1.5) and refuses every rule the adapter would have refused, with the same error
 * the HTTP route gives for the same mistake, without changing the row or publishing a change event.
 */
class EvaluationDirectCommandIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static final KafkaProducer<String, Object> producer = fx.kafka().producer();
    private static final String HASH = SecretHasher.hash("direct-secret", SecretHasher.PASSWORD_ITERATIONS);
    private static final String WEAK_HASH = "pbkdf2-sha256$1$" + Base64.getEncoder().withoutPadding().encodeToString(new byte[16])
            + "$" + Base64.getEncoder().withoutPadding().encodeToString(new byte[32]);

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    private static String send(String evaluationId, String teamId, String actor, Instant receivedAt, EvaluationPatch patch) {
        EvaluationUpdateCommand command = new EvaluationUpdateCommand(
                TestCommands.metadata(ResourceType.EVALUATION, evaluationId, teamId, actor).setReceivedAt(receivedAt).build(),
                patch);
        String commandId = command.getMetadata().getCommandId();
        try {
            producer.send(new ProducerRecord<>(fx.topics().commands(ResourceType.EVALUATION), evaluationId, command)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return commandId;
    }

    /** A case: what the stored evaluation is, who sends what, what error must come back, and the same mistake over HTTP. */
    record Case(String label, UnaryOperator<EvaluationState.Builder> stored, String storedHash, String actor,
                EvaluationPatch.Builder patch, Instant receivedAt, ErrorKind kind, String code, String field,
                String httpKey, String httpBody) {

        @Override
        public String toString() {
            return label;
        }
    }

    private static Case refused(String label, EvaluationPatch.Builder patch, String field, String httpBody) {
        return new Case(label, b -> b, null, "acme_owner", patch, Instant.now(), ErrorKind.INVALID, null, field, "acme_owner", httpBody);
    }

    static Stream<Case> cases() {
        String past = "2020-01-01T00:00:00Z";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return Stream.of(
                refused("name too long", EvaluationPatch.newBuilder().setName("n".repeat(201)), "name", "{\"name\":\"" + "n".repeat(201) + "\"}"),
                refused("name empty", EvaluationPatch.newBuilder().setName(""), "name", "{\"name\":\"\"}"),
                refused("NUL in name", EvaluationPatch.newBuilder().setName("a\u0000b"), "name", "{\"name\":\"a\\u0000b\"}"),
                refused("description too long", EvaluationPatch.newBuilder().setDescription("d".repeat(2001)), "description",
                        "{\"description\":\"" + "d".repeat(2001) + "\"}"),
                refused("proxyRegion empty", EvaluationPatch.newBuilder().setProxyRegion(""), "proxyRegion", "{\"proxyRegion\":\"\"}"),
                refused("proxyRegion too long", EvaluationPatch.newBuilder().setProxyRegion("r".repeat(256)), "proxyRegion",
                        "{\"proxyRegion\":\"" + "r".repeat(256) + "\"}"),
                refused("modelId outside the enum", EvaluationPatch.newBuilder().setModelId("gpt-4"), "modelId", "{\"modelId\":\"gpt-4\"}"),
                refused("shareExpiry before receivedAt", EvaluationPatch.newBuilder().setShareExpiry(Instant.parse(past)), "shareExpiry",
                        "{\"shareExpiry\":\"" + past + "\"}"),
                refused("shareExpiry past year 9999", EvaluationPatch.newBuilder().setShareExpiry(Instant.parse("+10000-01-01T00:00:00Z")),
                        "shareExpiry", "{\"shareExpiry\":\"+10000-01-01T00:00:00Z\"}"),
                new Case("plaintext in the hash field", b -> b.setShareAccess(ShareAccess.PASSWORD_PROTECTED), HASH, "acme_owner",
                        EvaluationPatch.newBuilder().setSharePasswordHash("hunter22"), now, ErrorKind.INVALID, null, "sharePassword", null, null),
                new Case("weak hash", b -> b.setShareAccess(ShareAccess.PASSWORD_PROTECTED), HASH, "acme_owner",
                        EvaluationPatch.newBuilder().setSharePasswordHash(WEAK_HASH), now, ErrorKind.INVALID, null, "sharePassword", null, null),
                new Case("admin field hidden from fieldOrder", b -> b, null, "acme_editor",
                        EvaluationPatch.newBuilder().setName("x").setShareAccess(ShareAccess.ANYONE_WITH_LINK).setFieldOrder(List.of("name")),
                        now, ErrorKind.FORBIDDEN, null, "shareAccess", "acme_editor", "{\"name\":\"x\",\"shareAccess\":\"ANYONE_WITH_LINK\"}"),
                new Case("editor sends type", b -> b, null, "acme_editor", EvaluationPatch.newBuilder().setType(EvaluationType.SxS),
                        now, ErrorKind.FORBIDDEN, null, "type", "acme_editor", "{\"type\":\"SxS\"}"),
                new Case("viewer", b -> b, null, "acme_viewer", EvaluationPatch.newBuilder().setName("x"),
                        now, ErrorKind.FORBIDDEN, null, null, "acme_viewer", "{\"name\":\"x\"}"),
                new Case("forbidden transition", b -> b.setStatus(EvaluationStatus.Ended), null, "acme_editor",
                        EvaluationPatch.newBuilder().setStatus(EvaluationStatus.Running), now, ErrorKind.INVALID,
                        "invalid_status_transition", "status", "acme_editor", "{\"status\":\"Running\"}"),
                new Case("type outside Draft", b -> b.setStatus(EvaluationStatus.Running), null, "acme_admin",
                        EvaluationPatch.newBuilder().setType(EvaluationType.SSE), now, ErrorKind.INVALID, null, "type", "acme_admin",
                        "{\"type\":\"SSE\"}"),
                new Case("password outside password mode", b -> b, null, "acme_admin", EvaluationPatch.newBuilder().setSharePasswordHash(HASH),
                        now, ErrorKind.INVALID, null, "sharePassword", "acme_admin", "{\"sharePassword\":\"open-sesame\"}"),
                new Case("password mode without password", b -> b, null, "acme_admin",
                        EvaluationPatch.newBuilder().setShareAccess(ShareAccess.PASSWORD_PROTECTED), now, ErrorKind.INVALID, null,
                        "sharePassword", "acme_admin", "{\"shareAccess\":\"PASSWORD_PROTECTED\"}"),
                new Case("editorsCanShare false", b -> b.setEditorsCanShare(false), null, "acme_editor",
                        EvaluationPatch.newBuilder().setShareRequireEmail(true), now, ErrorKind.FORBIDDEN, null, "shareRequireEmail",
                        "acme_editor", "{\"shareRequireEmail\":true}"),
                new Case("key without the write scope", b -> b, null, "acme_readonly", EvaluationPatch.newBuilder().setName("x"),
                        now, ErrorKind.FORBIDDEN, "missing_required_scope", null, "acme_readonly", "{\"name\":\"x\"}"),
                new Case("key of another team", b -> b, null, "globex_owner", EvaluationPatch.newBuilder().setName("x"),
                        now, ErrorKind.FORBIDDEN, null, null, null, null),
                new Case("unknown key", b -> b, null, "key_nobody", EvaluationPatch.newBuilder().setName("x"),
                        now, ErrorKind.FORBIDDEN, null, null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void commandsBreakingARuleAreRejectedWithTheHttpError(Case c) {
        String id = fx.data().newEvaluation(DemoData.ACME, c.stored(), c.storedHash());
        EvaluationChecks.Before before = before(fx, id);

        CommandResult result = fx.kafka().awaitResult(send(id, DemoData.ACME, c.actor(), c.receivedAt(), c.patch().build()));

        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getResource()).isNull();
        CommandError error = result.getErrors().get(0);
        assertThat(error.getKind()).isEqualTo(c.kind());
        assertThat(error.getCode()).isEqualTo(c.code());
        assertThat(error.getField()).isEqualTo(c.field());
        assertThat(error.getMessage()).doesNotContain("hunter22");
        before.assertUnchanged();

        if (c.httpBody() != null) {
            HttpResponse<String> http = fx.http().call("PATCH", "/api/v1/evaluations/" + id).token(fx.token(c.httpKey())).json(c.httpBody()).send();
            JsonNode httpError = ApiClient.json(http).get("error");
            assertThat(http.statusCode()).as(http.body()).isEqualTo(switch (c.kind()) {
                case INVALID -> 400;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
            });
            assertThat(httpError.has("param") ? httpError.get("param").stringValue() : null).isEqualTo(c.field());
            assertThat(httpError.has("code") ? httpError.get("code").stringValue() : null).isEqualTo(c.code());
            before.assertUnchanged();
        }
    }

    @Test
    void anotherTeamsEvaluationIsNotFound() {
        String globex = fx.data().newEvaluation(DemoData.GLOBEX);
        EvaluationChecks.Before before = before(fx, globex);

        CommandResult result = fx.kafka().awaitResult(send(globex, DemoData.ACME, "acme_owner", Instant.now(),
                EvaluationPatch.newBuilder().setName("stolen").build()));

        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getErrors().get(0).getKind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(result.getErrors().get(0).getCode()).isEqualTo("evaluation_not_found");
        before.assertUnchanged();
    }

    @Test
    void aValidCommandFromAProducerIsApplied() {
        String id = fx.data().newEvaluation(DemoData.ACME, b -> b);

        CommandResult result = fx.kafka().awaitResult(send(id, DemoData.ACME, "acme_owner", Instant.now(), EvaluationPatch.newBuilder()
                .setShareAccess(ShareAccess.PASSWORD_PROTECTED).setSharePasswordHash(HASH).setName("from a producer").build()));

        assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(fx.kafka().evaluationChanges(id)).singleElement().satisfies(event ->
                assertThat(event.getChangedFields()).containsExactly("name", "shareAccess", "sharePassword"));
        assertThat(fx.data().storedEvaluation(id).orElseThrow().sharePasswordHash()).isEqualTo(HASH);
    }
}
