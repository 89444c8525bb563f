package io.patchbay.adapter.web;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.history.ChangeHistoryReader;
import io.patchbay.adapter.history.HistoryCursors;
import io.patchbay.adapter.history.HistoryPages;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.Guard;
import io.patchbay.adapter.resource.ResourceApi;
import io.patchbay.adapter.resource.ResourceApiResolver;
import io.patchbay.schemas.ResourceType;
import io.patchbay.store.history.FeedPosition;

/**
 * The history routes: one resource's changes newest first ({@code GET /api/v1/evaluations/{id}/changes},
 * {@code GET /api/automations/{id}/changes/}) and the team's feed in the order changes were made
 * ({@code GET /api/v1/changes}). Each needs the read scope of the family it shows and answers like its API's other
 * routes: a resource that is not the caller's team's is its 404, errors are in the API's format.
 */
@RestController
public class HistoryController {

    private static final String EVALUATION = "/api/v1/evaluations/{id}/changes";
    private static final String AUTOMATION = "/api/automations/{id}/changes";
    private static final String AUTOMATION_SLASH = "/api/automations/{id}/changes/";
    private static final String FEED = "/api/v1/changes";

    private final ResourceApiResolver resources;
    private final Guard guard;
    private final ChangeHistoryReader reader;
    private final HistoryPages pages;

    public HistoryController(ResourceApiResolver resources, Guard guard, ChangeHistoryReader reader, HistoryPages pages) {
        this.resources = resources;
        this.guard = guard;
        this.reader = reader;
        this.pages = pages;
    }

    @GetMapping(EVALUATION)
    public ResponseEntity<byte[]> evaluation(@PathVariable String id, HttpServletRequest request) {
        return versions(ResourceType.EVALUATION, id, request);
    }

    @GetMapping({AUTOMATION, AUTOMATION_SLASH})
    public ResponseEntity<byte[]> automation(@PathVariable String id, HttpServletRequest request) {
        return versions(ResourceType.AUTOMATION, id, request);
    }

    @GetMapping(FEED)
    public ResponseEntity<byte[]> feed(HttpServletRequest request) {
        Principal principal = guard.authenticate(request, Api.AUTOUSERS);
        Guard.apiVersion(request, Api.AUTOUSERS);
        String type = HistoryPages.single(request, "type", Api.AUTOUSERS);
        List<ResourceType> readable = new ArrayList<>();
        for (ResourceType candidate : ResourceType.values()) {
            if (type == null || ChangeHistoryReader.eventType(candidate).equals(type)) {
                readable.add(candidate);
            }
        }
        if (readable.isEmpty()) {
            throw HistoryPages.unknownType(type).exception();
        }
        List<ResourceType> allowed = readable.stream().filter(t -> principal.has(resources.resolve(t).readScope())).toList();
        if (allowed.isEmpty()) {
            Guard.requireScope(principal, resources.resolve(readable.get(0)).readScope(), Api.AUTOUSERS);
        }
        int limit = pages.limit(request, Api.AUTOUSERS);
        String after = HistoryPages.single(request, "after", Api.AUTOUSERS);
        FeedPosition position = after == null ? null
                : HistoryCursors.feed(after).orElseThrow(() -> HistoryPages.badCursor("after", Api.AUTOUSERS).exception());
        return json(pages.autousers(reader.feed(principal.teamId(), allowed, position, limit)));
    }

    /** OPTIONS is not served (no CORS): 405, as on the other routes. */
    @RequestMapping(path = {EVALUATION, AUTOMATION, AUTOMATION_SLASH, FEED}, method = RequestMethod.OPTIONS)
    public void options() throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException("OPTIONS", List.of("GET"));
    }

    private ResponseEntity<byte[]> versions(ResourceType type, String id, HttpServletRequest request) {
        ResourceApi resource = resources.resolve(type);
        Api api = resource.api();
        Principal principal = guard.authenticate(request, api);
        Guard.requireScope(principal, resource.readScope(), api);
        Guard.apiVersion(request, api);
        int limit = pages.limit(request, api);
        String cursor = HistoryPages.single(request, "cursor", api);
        OptionalLong before = OptionalLong.empty();
        if (cursor != null) {
            before = HistoryCursors.version(cursor);
            if (before.isEmpty()) {
                throw HistoryPages.badCursor("cursor", api).exception();
            }
        }
        String resourceId = resource.canonicalId(principal.teamId(), id).orElseThrow(() -> resource.notFound(id).exception());
        ChangeHistoryReader.Page page = reader.versions(principal.teamId(), type, resourceId, before, limit);
        return json(api == Api.AUTOUSERS ? pages.autousers(page) : pages.respan(page, request));
    }

    private static ResponseEntity<byte[]> json(byte[] body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
