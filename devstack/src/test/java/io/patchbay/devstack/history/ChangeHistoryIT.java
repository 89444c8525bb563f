package io.patchbay.devstack.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.apache.avro.generic.IndexedRecord;
import org.junit.jupiter.api.Test;

import io.patchbay.devstack.infra.Poll;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.AvroJson;
import io.patchbay.store.team.TeamRepository;
import tools.jackson.databind.JsonNode;

/**
 * History over HTTP against the real broker, database and registry: a resource's changes newest first and the team's
 * feed in change order, each item exactly the event on the changes topic; cursors that survive new changes; the same
 * team scoping, scopes and error formats as the resource routes.
 */
class ChangeHistoryIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    @Test
    void evaluationHistoryPagesAreTheChangeTopicsEventsNewestFirst() {
        String token = fx.token("acme_editor");
        String id = fx.data().newEvaluation(DemoData.ACME);
        for (int i = 1; i <= 5; i++) {
            rename("/api/v1/evaluations/" + id, token, "History " + i);
        }

        List<JsonNode> pages = new ArrayList<>();
        List<JsonNode> items = autousersPages("/api/v1/evaluations/" + id + "/changes?limit=2", token, pages);

        List<String> onTopic = new ArrayList<>(topicEvents(ResourceType.EVALUATION, id));
        Collections.reverse(onTopic);
        assertThat(texts(items)).hasSize(5).isEqualTo(onTopic);
        assertThat(items).extracting(item -> item.get("version").longValue()).containsExactly(6L, 5L, 4L, 3L, 2L);
        assertThat(items.get(0).get("after").get("name").stringValue()).isEqualTo("History 5");
        assertThat(items.get(0).get("actor").get("apiKeyId").stringValue()).isEqualTo("acme_editor");
        assertThat(pages).extracting(page -> page.get("hasMore").booleanValue()).containsExactly(true, true, false);
        assertThat(pages.get(2).get("nextCursor").isNull()).isTrue();
    }

    @Test
    void automationHistoryBySlugPagesLikeDrfAndMatchesTheChangeTopic() {
        var automation = fx.insertAutomation(DemoData.ACME, b -> { });
        String token = fx.token("acme_editor");
        for (int i = 1; i <= 3; i++) {
            rename("/api/automations/" + automation.getId() + "/", token, "Monitor " + i);
        }

        HttpResponse<String> first = fx.http().send("GET", "/api/automations/" + automation.getSlug() + "/changes/?page_size=2",
                fx.token("acme_viewer"), null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode page1 = ApiClient.json(first);
        URI next = URI.create(page1.get("next").stringValue());
        assertThat(next.getPath()).isEqualTo("/api/automations/" + automation.getSlug() + "/changes/");
        JsonNode page2 = ApiClient.json(fx.http().send("GET", next.getRawPath() + "?" + next.getRawQuery(),
                fx.token("acme_viewer"), null));

        List<JsonNode> items = new ArrayList<>();
        page1.get("results").forEach(items::add);
        page2.get("results").forEach(items::add);
        List<String> onTopic = new ArrayList<>(topicEvents(ResourceType.AUTOMATION, automation.getId()));
        Collections.reverse(onTopic);
        assertThat(texts(items)).isEqualTo(onTopic).hasSize(3);
        assertThat(page1.get("previous").isNull()).isTrue();
        assertThat(page2.get("next").isNull()).isTrue();
    }

    @Test
    void cursorsStayValidWhileNewChangesArrive() {
        String team = newTeam();
        String token = fx.data().newApiKey(team, "editor", "evaluations:*", "automations:*");
        String a = fx.data().newEvaluation(team);
        String b = fx.data().newEvaluation(team);
        rename("/api/v1/evaluations/" + a, token, "a1");
        rename("/api/v1/evaluations/" + b, token, "b1");
        rename("/api/v1/evaluations/" + a, token, "a2");

        JsonNode newest = get("/api/v1/evaluations/" + a + "/changes?limit=1", token);
        JsonNode feedStart = awaitFeed(token, null, 3);
        String feedCursor = feedStart.get("nextCursor").stringValue();
        rename("/api/v1/evaluations/" + a, token, "a3");
        rename("/api/v1/evaluations/" + b, token, "b2");

        JsonNode older = get("/api/v1/evaluations/" + a + "/changes?limit=10&cursor=" + newest.get("nextCursor").stringValue(), token);
        assertThat(versions(newest.get("data"))).containsExactly(3L);
        assertThat(versions(older.get("data"))).containsExactly(2L);

        JsonNode caughtUp = awaitFeed(token, feedCursor, 2);
        assertThat(names(feedStart.get("data"))).containsExactly("a1", "b1", "a2");
        assertThat(names(caughtUp.get("data"))).containsExactly("a3", "b2");
        assertThat(caughtUp.get("data").get(0).get("type").stringValue()).isEqualTo("evaluation.changed");
        JsonNode again = get("/api/v1/changes?limit=2", token);
        assertThat(listOf(again.get("data"), 0, 2)).isEqualTo(listOf(feedStart.get("data"), 0, 2));
        JsonNode fromSecond = get("/api/v1/changes?after=" + again.get("nextCursor").stringValue(), token);
        assertThat(names(fromSecond.get("data"))).containsExactly("a2", "a3", "b2");
        assertThat(get("/api/v1/changes?type=automation.changed", token).get("data")).isEmpty();
    }

    @Test
    void anotherTeamsHistoryIsA404AndItsChangesStayOutOfTheFeed() {
        String token = fx.token("acme_owner");
        HttpResponse<String> evaluation = fx.http().send("GET", "/api/v1/evaluations/eval_globex_draft/changes", token, null);
        HttpResponse<String> automation = fx.http().send("GET", "/api/automations/auto_globex_quality/changes/", token, null);
        HttpResponse<String> missing = fx.http().send("GET", "/api/v1/evaluations/eval_nope/changes", token, null);

        assertThat(evaluation.statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(evaluation).get("error").get("code").stringValue()).isEqualTo("evaluation_not_found");
        assertThat(missing.body().replace("eval_nope", "X")).isEqualTo(evaluation.body().replace("eval_globex_draft", "X")
                .replace(evaluation.headers().firstValue("X-Request-Id").orElseThrow(),
                        missing.headers().firstValue("X-Request-Id").orElseThrow()));
        assertThat(automation.statusCode()).isEqualTo(404);
        assertThat(automation.body()).isEqualTo("{\"detail\":\"Automation not found\"}");

        String otherTeam = newTeam();
        String otherToken = fx.data().newApiKey(otherTeam, "viewer", "evaluations:read", "automations:read");
        rename("/api/v1/evaluations/eval_acme_ended", fx.token("acme_editor"), "Seen only by acme " + UUID.randomUUID());
        assertThat(get("/api/v1/changes", otherToken).get("data")).isEmpty();
    }

    @Test
    void badCursorsLimitsTypesAndMissingScopesGetClearErrorsInEachApisFormat() {
        String token = fx.token("acme_viewer");
        String eval = "/api/v1/evaluations/eval_acme_ended/changes";
        for (String query : List.of("limit=0", "limit=101", "limit=ten", "limit=1&limit=2")) {
            assertAutousers400(fx.http().send("GET", eval + "?" + query, token, null), "limit");
        }
        assertAutousers400(fx.http().send("GET", eval + "?cursor=not-a-cursor", token, null), "cursor");
        assertAutousers400(fx.http().send("GET", "/api/v1/changes?after=bm9wZQ", token, null), "after");
        assertAutousers400(fx.http().send("GET", "/api/v1/changes?type=evaluation.deleted", token, null), "type");

        HttpResponse<String> pageSize = fx.http().send("GET", "/api/automations/auto_acme_quality/changes/?page_size=0", token, null);
        assertThat(pageSize.statusCode()).isEqualTo(400);
        assertThat(pageSize.body()).isEqualTo("{\"page_size\":[\"A valid integer from 1 to 100 is required.\"]}");
        HttpResponse<String> cursor = fx.http().send("GET", "/api/automations/auto_acme_quality/changes/?cursor=zzz", token, null);
        assertThat(cursor.statusCode()).isEqualTo(404);
        assertThat(cursor.body()).isEqualTo("{\"detail\":\"Invalid cursor\"}");

        String writeOnly = fx.data().newApiKey(DemoData.ACME, "editor", "evaluations:write", "automations:write");
        HttpResponse<String> noScope = fx.http().send("GET", eval, writeOnly, null);
        assertThat(noScope.statusCode()).isEqualTo(403);
        assertThat(ApiClient.json(noScope).get("error").get("message").stringValue())
                .isEqualTo("Missing required scope: evaluations:read");
        assertThat(fx.http().send("GET", "/api/v1/changes", writeOnly, null).statusCode()).isEqualTo(403);
        assertThat(fx.http().send("GET", "/api/automations/auto_acme_quality/changes/", writeOnly, null).body())
                .isEqualTo("{\"detail\":\"You do not have permission to perform this action.\"}");
        String evaluationsOnly = fx.data().newApiKey(DemoData.ACME, "viewer", "evaluations:read");
        assertThat(fx.http().send("GET", "/api/v1/changes?type=automation.changed", evaluationsOnly, null).statusCode()).isEqualTo(403);
    }

    private void rename(String path, String token, String name) {
        HttpResponse<String> patch = fx.http().send("PATCH", path, token, "{\"name\":\"" + name + "\"}");
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
    }

    private JsonNode get(String path, String token) {
        HttpResponse<String> response = fx.http().send("GET", path, token, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    /** Follows {@code nextCursor} from {@code path} to the last page; returns every item and keeps each page. */
    private List<JsonNode> autousersPages(String path, String token, List<JsonNode> pages) {
        List<JsonNode> items = new ArrayList<>();
        JsonNode page = get(path, token);
        while (true) {
            pages.add(page);
            page.get("data").forEach(items::add);
            if (!page.get("hasMore").booleanValue()) {
                return items;
            }
            page = get(path + "&cursor=" + URLEncoder.encode(page.get("nextCursor").stringValue(), StandardCharsets.UTF_8), token);
        }
    }

    /** The feed after {@code after} once it shows {@code count} changes (a change shows once every older transaction ended). */
    private JsonNode awaitFeed(String token, String after, int count) {
        String path = "/api/v1/changes?limit=" + count + (after == null ? "" : "&after=" + after);
        return Poll.until(count + " changes at " + path, DEADLINE, () -> get(path, token), page -> page.get("data").size() == count);
    }

    /** The change events of {@code id} on its changes topic, in topic order, as JSON text the history routes show. */
    private List<String> topicEvents(ResourceType type, String id) {
        return fx.kafka().tail(fx.topics().changes(type)).upToNow().stream().filter(r -> id.equals(r.key()))
                .map(r -> AvroJson.toNode((IndexedRecord) fx.kafka().decode(r)).toString()).toList();
    }

    private static List<String> texts(List<JsonNode> items) {
        return items.stream().map(JsonNode::toString).toList();
    }

    private String newTeam() {
        String team = "team_h_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        fx.jdbi().useHandle(h -> new TeamRepository().insert(h, team, "History test"));
        return team;
    }

    private static void assertAutousers400(HttpResponse<String> response, String param) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = ApiClient.json(response).get("error");
        assertThat(error.get("type").stringValue()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").stringValue()).isEqualTo(param);
        assertThat(error.get("request_id").stringValue()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    private static List<Long> versions(JsonNode items) {
        List<Long> versions = new ArrayList<>();
        items.forEach(item -> versions.add(item.get("version").longValue()));
        return versions;
    }

    private static List<String> names(JsonNode feedItems) {
        List<String> names = new ArrayList<>();
        feedItems.forEach(item -> names.add(item.get("event").get("after").get("name").stringValue()));
        return names;
    }

    private static List<JsonNode> listOf(JsonNode array, int from, int to) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.subList(from, to);
    }
}
