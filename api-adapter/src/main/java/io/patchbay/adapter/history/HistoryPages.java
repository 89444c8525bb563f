package io.patchbay.adapter.history;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.Decision;
import tools.jackson.databind.node.ObjectNode;

/**
 * The page envelopes and query parameters of the history routes, in each API's manner: Autousers pages like Stripe's
 * lists ({@code limit}, {@code cursor} / {@code after}; {@code {"object":"list","data":[…],"hasMore":…,"nextCursor":…}}),
 * Respan like DRF's {@code CursorPagination} ({@code cursor}, {@code page_size};
 * {@code {"next":url,"previous":null,"results":[…]}}, an unknown cursor is DRF's 404 {@code "Invalid cursor"}).
 */
public final class HistoryPages {

    /** Page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 10;
    /** Largest page size. */
    public static final int MAX_LIMIT = 100;

    private final String publicBaseUrl;

    public HistoryPages(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    /** The page size ({@code limit} on Autousers, {@code page_size} on Respan): 1 to {@value #MAX_LIMIT}. */
    public int limit(HttpServletRequest request, Api api) {
        String name = api == Api.AUTOUSERS ? "limit" : "page_size";
        String value = single(request, name, api);
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        if (value.matches("[0-9]{1,3}")) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        String message = api == Api.AUTOUSERS ? "limit must be an integer from 1 to " + MAX_LIMIT + "."
                : "A valid integer from 1 to " + MAX_LIMIT + " is required.";
        throw invalid(name, message, api).exception();
    }

    /** The one value of query parameter {@code name}, or null; sending it twice is a 400. */
    public static String single(HttpServletRequest request, String name, Api api) {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return null;
        }
        if (values.length > 1) {
            throw invalid(name, api == Api.AUTOUSERS ? name + " may be given only once." : "Only one value is allowed.", api)
                    .exception();
        }
        return values[0];
    }

    public static ApiError badCursor(String name, Api api) {
        return api == Api.AUTOUSERS
                ? ApiError.invalid(name, "Invalid " + name + ": pass the nextCursor of an earlier page unchanged.")
                : ApiError.of(404, "not_found_error", null, null, "Invalid cursor", "Invalid cursor");
    }

    public static ApiError unknownType(String type) {
        return ApiError.invalid("type", "Unknown type '" + type + "'; expected evaluation.changed or automation.changed.");
    }

    public byte[] autousers(ChangeHistoryReader.Page page) {
        ObjectNode body = JsonValues.MAPPER.createObjectNode().put("object", "list");
        body.putArray("data").addAll(page.items());
        body.put("hasMore", page.hasMore());
        body.put("nextCursor", page.cursor());
        return JsonValues.MAPPER.writeValueAsBytes(body);
    }

    public byte[] respan(ChangeHistoryReader.Page page, HttpServletRequest request) {
        ObjectNode body = JsonValues.MAPPER.createObjectNode();
        if (page.cursor() == null) {
            body.putNull("next");
        } else {
            String pageSize = request.getParameter("page_size");
            body.put("next", publicBaseUrl + request.getRequestURI() + "?cursor=" + URLEncoder.encode(page.cursor(),
                    StandardCharsets.UTF_8) + (pageSize == null ? "" : "&page_size=" + URLEncoder.encode(pageSize,
                    StandardCharsets.UTF_8)));
        }
        body.putNull("previous");
        body.putArray("results").addAll(page.items());
        return JsonValues.MAPPER.writeValueAsBytes(body);
    }

    private static ApiError invalid(String name, String message, Api api) {
        return api == Api.AUTOUSERS ? ApiError.invalid(name, message)
                : ApiError.fields(List.of(Decision.error(ErrorKind.INVALID, null, name, message)));
    }
}
