package io.patchbay.devstack.evaluations;

import static io.patchbay.devstack.evaluations.EvaluationChecks.assertError;
import static io.patchbay.devstack.evaluations.EvaluationChecks.before;
import static io.patchbay.devstack.evaluations.EvaluationChecks.instant;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.BrowserEngine;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.auth.SecretHasher;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.testing.http.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * api-contract §3.3, §3.5 and §3.6 over HTTP against the running stack: every field's type, null, enum and
 * length rule, three-state fields, the strict body, the status table, {@code type} only in Draft, the share
 * rules, and the response shape. Each case gets its own evaluation row; refusals must leave the row, the change
 * stream and (for request-level refusals) the commands topic untouched.
 */
class EvaluationContractIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();
    private static final String BASE = "https://app.example.com";
    private static final String FUTURE = Instant.now().plus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    private static final Instant STORED_EXPIRY = Instant.parse("2031-01-01T00:00:00Z");

    /** An evaluation whose optional fields all hold values, so that set, change and clear are all visible. */
    private static String evaluationWithOverrides() {
        return fx.data().newEvaluation(DemoData.ACME, b -> b.setDescription("initial").setShareExpiry(STORED_EXPIRY)
                .setBrowserEngine(BrowserEngine.CAMOUFOX).setUseProxy(true).setProxyRegion("us-east-1")
                .setModelId("gemini-3-flash-preview"));
    }

    private static HttpResponse<String> patch(String id, String key, String body) {
        return fx.http().patchEvaluation(id, fx.token(key), body.replace("$ID", id)).send();
    }

    // ---- values that are accepted: the response, GET and the change event show exactly the change ----

    static Stream<Arguments> acceptedValues() {
        String emoji = "\uD83D\uDE00";
        return Stream.of(
                Arguments.of("{\"name\":\"x\"}", "name", "\"x\""),
                Arguments.of("{\"name\":\"" + "n".repeat(200) + "\"}", "name", "\"" + "n".repeat(200) + "\""),
                Arguments.of("{\"name\":\"" + emoji.repeat(100) + "\"}", "name", "\"" + emoji.repeat(100) + "\""),
                Arguments.of("{\"name\":\"  not trimmed  \"}", "name", "\"  not trimmed  \""),
                Arguments.of("{\"description\":\"\"}", "description", "\"\""),
                Arguments.of("{\"description\":\"" + "d".repeat(2000) + "\"}", "description", "\"" + "d".repeat(2000) + "\""),
                Arguments.of("{\"description\":null}", "description", "null"),
                Arguments.of("{\"type\":\"SSE\"}", "type", "\"SSE\""),
                Arguments.of("{\"status\":\"Running\"}", "status", "\"Running\""),
                Arguments.of("{\"shareAccess\":\"AUTOUSERS_LINK\"}", "shareAccess", "\"AUTOUSERS_LINK\""),
                Arguments.of("{\"shareAccess\":\"ANYONE_WITH_LINK\"}", "shareAccess", "\"ANYONE_WITH_LINK\""),
                Arguments.of("{\"shareRequireEmail\":true}", "shareRequireEmail", "true"),
                Arguments.of("{\"shareRequireName\":true}", "shareRequireName", "true"),
                Arguments.of("{\"shareAllowAnon\":true}", "shareAllowAnon", "true"),
                Arguments.of("{\"shareExpiry\":\"2032-06-30T02:00:00+02:00\"}", "shareExpiry", "\"2032-06-30T00:00:00.000Z\""),
                Arguments.of("{\"shareExpiry\":\"2032-06-30T00:00:00.123456Z\"}", "shareExpiry", "\"2032-06-30T00:00:00.123Z\""),
                Arguments.of("{\"shareExpiry\":null}", "shareExpiry", "null"),
                Arguments.of("{\"shareExpiry\":\"\"}", "shareExpiry", "null"),
                Arguments.of("{\"allowMultipleRatings\":true}", "allowMultipleRatings", "true"),
                Arguments.of("{\"editorsCanShare\":false}", "editorsCanShare", "false"),
                Arguments.of("{\"browserEngine\":\"chrome\"}", "browserEngine", "\"CHROME\""),
                Arguments.of("{\"browserEngine\":\"Chrome\"}", "browserEngine", "\"CHROME\""),
                Arguments.of("{\"browserEngine\":null}", "browserEngine", "null"),
                Arguments.of("{\"useProxy\":false}", "useProxy", "false"),
                Arguments.of("{\"useProxy\":null}", "useProxy", "null"),
                Arguments.of("{\"proxyRegion\":\"eu-west-1\"}", "proxyRegion", "\"eu-west-1\""),
                Arguments.of("{\"proxyRegion\":\"" + "r".repeat(255) + "\"}", "proxyRegion", "\"" + "r".repeat(255) + "\""),
                Arguments.of("{\"proxyRegion\":null}", "proxyRegion", "null"),
                Arguments.of("{\"modelId\":\"gemini-2.5-computer-use-preview-10-2025\"}", "modelId", "\"gemini-2.5-computer-use-preview-10-2025\""),
                Arguments.of("{\"modelId\":null}", "modelId", "null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedValues")
    void acceptedValuesAreAppliedExactlyOnce(String body, String field, String expectedJson) {
        String id = evaluationWithOverrides();
        EvaluationState before = fx.data().storedEvaluation(id).orElseThrow().state();

        HttpResponse<String> response = patch(id, "acme_owner", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode expected = JsonValues.MAPPER.readTree(expectedJson);
        JsonNode patched = ApiClient.json(response);
        assertThat(patched.get(field)).isEqualTo(expected);
        JsonNode got = ApiClient.json(fx.http().send("GET", "/api/v1/evaluations/" + id, fx.token("acme_viewer"), null));
        assertThat(got).isEqualTo(patched);
        assertThat(instant(patched.get("updatedAt"))).isAfter(before.getUpdatedAt());
        assertThat(instant(patched.get("createdAt"))).isEqualTo(before.getCreatedAt());
        List<EvaluationChanged> events = fx.kafka().evaluationChanges(id);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getChangedFields()).containsExactly(field);
            assertThat(event.getVersion()).isEqualTo(2L);
            assertThat(event.getBefore()).isEqualTo(before);
            assertThat(event.getActor().getApiKeyId()).isEqualTo("acme_owner");
        });
        assertThat(fx.data().storedEvaluation(id).orElseThrow().state().getVersion()).isEqualTo(2L);
    }

    // ---- values equal to the stored ones, and the empty patch: UNCHANGED, no event, no updatedAt bump ----

    static Stream<String> noOps() {
        return Stream.of("{}", "{\"description\":\"initial\"}", "{\"browserEngine\":\"camoufox\"}", "{\"id\":\"$ID\"}",
                "{\"teamId\":\"team_acme\"}", "{\"type\":\"SxS\"}", "{\"status\":\"Draft\"}", "{\"shareAccess\":\"TEAM_ONLY\"}",
                "{\"useProxy\":true,\"proxyRegion\":\"us-east-1\",\"modelId\":\"gemini-3-flash-preview\"}",
                "{\"shareExpiry\":\"2031-01-01T01:00:00+01:00\"}", "{\"editorsCanShare\":true,\"allowMultipleRatings\":false}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noOps")
    void sameValuesAreUnchanged(String body) {
        String id = evaluationWithOverrides();
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> response = patch(id, "acme_owner", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = ApiClient.json(response);
        assertThat(instant(json.get("updatedAt"))).isEqualTo(before.state().getUpdatedAt());
        before.assertUnchanged();
        assertThat(EvaluationChecks.commandsOnKafka(fx)).isEqualTo(before.commands() + 1);
    }

    // ---- values refused at the edge (§3.8 step 9): 400 with param, nothing on Kafka ----

    static Stream<Arguments> refusedValues() {
        String emoji = "\uD83D\uDE00";
        return Stream.of(
                Arguments.of("{\"name\":1}", "name"),
                Arguments.of("{\"name\":true}", "name"),
                Arguments.of("{\"name\":null}", "name"),
                Arguments.of("{\"name\":\"\"}", "name"),
                Arguments.of("{\"name\":\"" + "n".repeat(201) + "\"}", "name"),
                Arguments.of("{\"name\":\"" + emoji.repeat(100) + "a\"}", "name"),
                Arguments.of("{\"name\":[\"x\"]}", "name"),
                Arguments.of("{\"name\":{\"x\":1}}", "name"),
                Arguments.of("{\"description\":5}", "description"),
                Arguments.of("{\"description\":false}", "description"),
                Arguments.of("{\"description\":\"" + "d".repeat(2001) + "\"}", "description"),
                Arguments.of("{\"type\":\"sse\"}", "type"),
                Arguments.of("{\"type\":\"SXS\"}", "type"),
                Arguments.of("{\"type\":null}", "type"),
                Arguments.of("{\"type\":1}", "type"),
                Arguments.of("{\"status\":\"draft\"}", "status"),
                Arguments.of("{\"status\":\"RUNNING\"}", "status"),
                Arguments.of("{\"status\":\"Paused\"}", "status"),
                Arguments.of("{\"status\":null}", "status"),
                Arguments.of("{\"shareAccess\":\"LINK_ONLY\"}", "shareAccess"),
                Arguments.of("{\"shareAccess\":\"EMAIL_GATED\"}", "shareAccess"),
                Arguments.of("{\"shareAccess\":\"team_only\"}", "shareAccess"),
                Arguments.of("{\"shareAccess\":null}", "shareAccess"),
                Arguments.of("{\"sharePassword\":\"abc\"}", "sharePassword"),
                Arguments.of("{\"sharePassword\":\"" + "p".repeat(129) + "\"}", "sharePassword"),
                Arguments.of("{\"sharePassword\":123456}", "sharePassword"),
                Arguments.of("{\"sharePassword\":null}", "sharePassword"),
                Arguments.of("{\"shareRequireEmail\":\"true\"}", "shareRequireEmail"),
                Arguments.of("{\"shareRequireEmail\":1}", "shareRequireEmail"),
                Arguments.of("{\"shareRequireEmail\":null}", "shareRequireEmail"),
                Arguments.of("{\"shareRequireName\":0}", "shareRequireName"),
                Arguments.of("{\"shareRequireName\":null}", "shareRequireName"),
                Arguments.of("{\"shareAllowAnon\":\"false\"}", "shareAllowAnon"),
                Arguments.of("{\"shareAllowAnon\":null}", "shareAllowAnon"),
                Arguments.of("{\"shareExpiry\":\"2032-06-30\"}", "shareExpiry"),
                Arguments.of("{\"shareExpiry\":\"2032-06-30T00:00:00\"}", "shareExpiry"),
                Arguments.of("{\"shareExpiry\":\"2020-01-01T00:00:00Z\"}", "shareExpiry"),
                Arguments.of("{\"shareExpiry\":\"next tuesday\"}", "shareExpiry"),
                Arguments.of("{\"shareExpiry\":1900000000}", "shareExpiry"),
                Arguments.of("{\"shareExpiry\":\"+10000-01-01T00:00:00Z\"}", "shareExpiry"),
                Arguments.of("{\"shareExpiry\":true}", "shareExpiry"),
                Arguments.of("{\"allowMultipleRatings\":\"yes\"}", "allowMultipleRatings"),
                Arguments.of("{\"allowMultipleRatings\":null}", "allowMultipleRatings"),
                Arguments.of("{\"editorsCanShare\":\"false\"}", "editorsCanShare"),
                Arguments.of("{\"editorsCanShare\":null}", "editorsCanShare"),
                Arguments.of("{\"browserEngine\":\"firefox\"}", "browserEngine"),
                Arguments.of("{\"browserEngine\":\"\"}", "browserEngine"),
                Arguments.of("{\"browserEngine\":1}", "browserEngine"),
                Arguments.of("{\"useProxy\":\"true\"}", "useProxy"),
                Arguments.of("{\"useProxy\":0}", "useProxy"),
                Arguments.of("{\"proxyRegion\":\"\"}", "proxyRegion"),
                Arguments.of("{\"proxyRegion\":\"" + "r".repeat(256) + "\"}", "proxyRegion"),
                Arguments.of("{\"proxyRegion\":5}", "proxyRegion"),
                Arguments.of("{\"modelId\":\"gpt-4\"}", "modelId"),
                Arguments.of("{\"modelId\":\"GEMINI-3-FLASH-PREVIEW\"}", "modelId"),
                Arguments.of("{\"modelId\":\"\"}", "modelId"),
                Arguments.of("{\"modelId\":3}", "modelId"),
                Arguments.of("{\"id\":\"eval_other\"}", "id"),
                Arguments.of("{\"id\":123}", "id"),
                Arguments.of("{\"id\":null}", "id"),
                Arguments.of("{\"teamId\":\"team_globex\"}", "teamId"),
                Arguments.of("{\"teamId\":null}", "teamId"),
                Arguments.of("{\"teamId\":5}", "teamId"),
                // strict body: every wizard field and any other unknown member, the first in body order
                Arguments.of("{\"selectedAutousers\":[]}", "selectedAutousers"),
                Arguments.of("{\"designUrls\":[\"https://x\"]}", "designUrls"),
                Arguments.of("{\"Name\":\"x\"}", "Name"),
                Arguments.of("{\"name\":\"ok\",\"zzz\":1,\"aaa\":2}", "zzz"),
                Arguments.of("{\"sharePasswordHash\":\"pbkdf2-sha256$1$x$y\"}", "sharePasswordHash"),
                Arguments.of("{\"createdAt\":\"2020-01-01T00:00:00Z\"}", "createdAt"),
                // one error per response: unknown members first, then id, teamId, then the §3.3 table order
                Arguments.of("{\"name\":\"\",\"bogus\":1}", "bogus"),
                Arguments.of("{\"name\":\"\",\"id\":\"eval_other\"}", "id"),
                Arguments.of("{\"teamId\":\"team_globex\",\"id\":\"eval_other\"}", "id"),
                Arguments.of("{\"modelId\":\"gpt-4\",\"name\":\"\"}", "name"),
                Arguments.of("{\"proxyRegion\":\"\",\"status\":\"draft\",\"description\":5}", "description"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("refusedValues")
    void refusedValuesAre400WithTheirParamAndNeverReachKafka(String body, String param) {
        String id = evaluationWithOverrides();
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> response = patch(id, "acme_owner", body);

        assertError(response, 400, "invalid_request_error", null, param);
        before.assertRefusedAtTheEdge();
    }

    @Test
    void unknownEnumValuesListTheAllowedOnes() {
        String id = fx.data().newEvaluation(DemoData.ACME);

        JsonNode error = assertError(patch(id, "acme_owner", "{\"shareAccess\":\"LINK_ONLY\"}"), 400, "invalid_request_error", null, "shareAccess");

        assertThat(error.get("message").stringValue()).isEqualTo("Invalid value 'LINK_ONLY' for shareAccess; expected one of "
                + "TEAM_ONLY, AUTOUSERS_LINK, ANYONE_WITH_LINK, PASSWORD_PROTECTED.");
    }

    // ---- the status table (§3.5), decided by the processor from the stored status ----

    static Stream<Arguments> transitions() {
        String[][] table = {
                {"UNCHANGED", "APPLIED", "REJECTED", "APPLIED"},
                {"REJECTED", "UNCHANGED", "APPLIED", "REJECTED"},
                {"REJECTED", "REJECTED", "UNCHANGED", "APPLIED"},
                {"REJECTED", "REJECTED", "APPLIED", "UNCHANGED"}};
        EvaluationStatus[] statuses = EvaluationStatus.values();
        Stream.Builder<Arguments> all = Stream.builder();
        for (int from = 0; from < 4; from++) {
            for (int to = 0; to < 4; to++) {
                all.add(Arguments.of(statuses[from], statuses[to], table[from][to]));
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("transitions")
    void statusTransitionsFollowTheTable(EvaluationStatus from, EvaluationStatus to, String outcome) {
        String id = fx.data().newEvaluation(DemoData.ACME, b -> b.setStatus(from));
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> response = patch(id, "acme_editor", "{\"status\":\"" + to + "\"}");

        switch (outcome) {
            case "APPLIED" -> {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(ApiClient.json(response).get("status").stringValue()).isEqualTo(to.name());
                assertThat(fx.kafka().evaluationChanges(id)).singleElement().satisfies(event -> {
                    assertThat(event.getBefore().getStatus()).isEqualTo(from);
                    assertThat(event.getAfter().getStatus()).isEqualTo(to);
                    assertThat(event.getChangedFields()).containsExactly("status");
                });
            }
            case "UNCHANGED" -> {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                before.assertUnchanged();
            }
            default -> {
                JsonNode error = assertError(response, 400, "invalid_request_error", "invalid_status_transition", "status");
                assertThat(error.get("message").stringValue()).isEqualTo("Cannot change status from " + from + " to " + to + ".");
                before.assertUnchanged();
            }
        }
    }

    // ---- type only while the stored status is Draft ----

    static Stream<Arguments> typeChanges() {
        return Stream.of(
                Arguments.of(EvaluationStatus.Draft, "{\"type\":\"SSE\"}", 200),
                Arguments.of(EvaluationStatus.Running, "{\"type\":\"SSE\"}", 400),
                Arguments.of(EvaluationStatus.Ended, "{\"type\":\"SSE\"}", 400),
                Arguments.of(EvaluationStatus.Archived, "{\"type\":\"SSE\"}", 400),
                Arguments.of(EvaluationStatus.Running, "{\"type\":\"SxS\"}", 200),
                // the stored status counts, not the one this request moves to
                Arguments.of(EvaluationStatus.Draft, "{\"status\":\"Running\",\"type\":\"SSE\"}", 200),
                Arguments.of(EvaluationStatus.Archived, "{\"status\":\"Ended\",\"type\":\"SSE\"}", 400));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("typeChanges")
    void typeChangesOnlyInDraft(EvaluationStatus stored, String body, int status) {
        String id = fx.data().newEvaluation(DemoData.ACME, b -> b.setStatus(stored));
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> response = patch(id, "acme_admin", body);

        if (status == 200) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } else {
            JsonNode error = assertError(response, 400, "invalid_request_error", null, "type");
            assertThat(error.get("message").stringValue()).isEqualTo("type can only be changed while the evaluation is in Draft.");
            before.assertUnchanged();
        }
    }

    // ---- share rules (§3.5) ----

    static Stream<Arguments> shareRules() {
        return Stream.of(
                Arguments.of(ShareAccess.TEAM_ONLY, "{\"sharePassword\":\"open-sesame\"}", 400),
                Arguments.of(ShareAccess.ANYONE_WITH_LINK, "{\"shareAccess\":\"PASSWORD_PROTECTED\"}", 400),
                Arguments.of(ShareAccess.PASSWORD_PROTECTED, "{\"shareAccess\":\"TEAM_ONLY\",\"sharePassword\":\"open-sesame\"}", 400),
                Arguments.of(ShareAccess.TEAM_ONLY, "{\"shareAccess\":\"PASSWORD_PROTECTED\",\"sharePassword\":\"open-sesame\"}", 200),
                Arguments.of(ShareAccess.PASSWORD_PROTECTED, "{\"sharePassword\":\"open-sesame-2\"}", 200),
                Arguments.of(ShareAccess.PASSWORD_PROTECTED, "{\"shareAccess\":\"ANYONE_WITH_LINK\"}", 200),
                Arguments.of(ShareAccess.PASSWORD_PROTECTED, "{\"shareAccess\":\"PASSWORD_PROTECTED\"}", 200));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("shareRules")
    void shareRules(ShareAccess stored, String body, int status) {
        String storedHash = stored == ShareAccess.PASSWORD_PROTECTED ? SecretHasher.hash("stored-secret", 1_000) : null;
        String id = fx.data().newEvaluation(DemoData.ACME, b -> b.setShareAccess(stored), storedHash);
        EvaluationChecks.Before before = before(fx, id);

        HttpResponse<String> response = patch(id, "acme_admin", body);

        if (status == 400) {
            assertError(response, 400, "invalid_request_error", null, "sharePassword");
            before.assertUnchanged();
            return;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("sharePassword", "open-sesame", "pbkdf2");
        StoredEvaluation after = fx.data().storedEvaluation(id).orElseThrow();
        JsonNode sent = JsonValues.MAPPER.readTree(body);
        if (after.state().getShareAccess() != ShareAccess.PASSWORD_PROTECTED) {
            assertThat(after.sharePasswordHash()).as("hash after leaving password mode").isNull();
            assertThat(fx.kafka().evaluationChanges(id)).singleElement().satisfies(event ->
                    assertThat(event.getChangedFields()).containsExactly("shareAccess", "sharePassword"));
        } else if (sent.has("sharePassword")) {
            assertThat(after.sharePasswordHash()).startsWith("pbkdf2-sha256$600000$").isNotEqualTo(storedHash);
            assertThat(SecretHasher.verify(sent.get("sharePassword").stringValue(), after.sharePasswordHash())).isTrue();
            assertThat(fx.kafka().evaluationChanges(id)).singleElement().satisfies(event ->
                    assertThat(event.getAfter().getSharePasswordSet()).isTrue());
        } else {
            before.assertUnchanged();
        }
    }

    // ---- existence and the response shape (§3.6) ----

    @Test
    void anEvaluationThatDoesNotExistIs404EvenForAnEmptyPatch() {
        String id = "eval_missing_" + System.nanoTime();
        EvaluationChecks.Before before = before(fx, id);

        JsonNode patched = assertError(patch(id, "acme_owner", "{}"), 404, "not_found_error", "evaluation_not_found", null);
        JsonNode got = assertError(fx.http().call("GET", "/api/v1/evaluations/" + id).token(fx.token("acme_viewer")).send(),
                404, "not_found_error", "evaluation_not_found", null);

        assertThat(patched.get("message").stringValue()).isEqualTo("No evaluation found with id '" + id + "'.");
        assertThat(got.get("message").stringValue()).isEqualTo(patched.get("message").stringValue());
        before.assertUnchanged();
    }

    @Test
    void everyFieldIsPresentInOrderAndLinksAreAbsolute() {
        String id = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> response = fx.http().call("GET", "/api/v1/evaluations/" + id).token(fx.token("acme_viewer")).send();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(response.headers().firstValue("Autousers-Version")).hasValue(EvaluationChecks.VERSION);
        JsonNode json = ApiClient.json(response);
        assertThat(json.propertyNames()).containsExactly("id", "teamId", "name", "description", "type", "status", "shareAccess",
                "shareRequireEmail", "shareRequireName", "shareAllowAnon", "shareExpiry", "allowMultipleRatings", "editorsCanShare",
                "browserEngine", "useProxy", "proxyRegion", "modelId", "createdAt", "updatedAt", "links");
        for (String nullable : List.of("description", "shareExpiry", "browserEngine", "useProxy", "proxyRegion", "modelId")) {
            assertThat(json.get(nullable).isNull()).as(nullable).isTrue();
        }
        for (String bool : List.of("shareRequireEmail", "shareRequireName", "shareAllowAnon", "allowMultipleRatings", "editorsCanShare")) {
            assertThat(json.get(bool).isBoolean()).as(bool).isTrue();
        }
        instant(json.get("createdAt"));
        instant(json.get("updatedAt"));
        assertThat(json.get("links").propertyNames()).containsExactly("preview", "review", "edit", "results", "share");
        json.get("links").properties().forEach(link ->
                assertThat(link.getValue().stringValue()).isEqualTo(BASE + "/evaluations/" + id + "/" + link.getKey()));
    }

    @Test
    void linksPercentEncodeTheIdAsAPathSegment() {
        String id = "eval t\u00fc?#" + System.nanoTime();
        fx.data().insertEvaluation(id, DemoData.ACME, b -> b, null);
        String encoded = "eval%20t%C3%BC%3F%23" + id.substring(id.indexOf('#') + 1);

        HttpResponse<String> response = fx.http().call("PATCH", "/api/v1/evaluations/" + encoded).token(fx.token("acme_editor"))
                .json("{\"name\":\"encoded\"}").send();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = ApiClient.json(response);
        assertThat(json.get("id").stringValue()).isEqualTo(id);
        assertThat(json.get("links").get("share").stringValue()).isEqualTo(BASE + "/evaluations/" + encoded + "/share");
    }

    @Test
    void shareExpiryMustBeInTheFutureAndFutureValuesAreStoredInUtc() {
        String id = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> response = patch(id, "acme_editor", "{\"shareExpiry\":\"" + FUTURE + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(instant(ApiClient.json(response).get("shareExpiry"))).isEqualTo(Instant.parse(FUTURE));
        assertThat(fx.data().storedEvaluation(id).orElseThrow().state().getShareExpiry()).isEqualTo(Instant.parse(FUTURE));
    }
}
