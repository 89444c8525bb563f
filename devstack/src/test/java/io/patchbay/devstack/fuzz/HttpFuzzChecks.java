package io.patchbay.devstack.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.patchbay.devstack.RawHttp;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The properties every answer of the adapter has, whatever was asked: never a 5xx, an {@code X-Request-Id} that is a
 * UUID v7, errors in the format of the API the path belongs to (Autousers' envelope with {@code request_id} equal to
 * the header, or a DRF-shaped body on the Respan routes), never Tomcat's page, a stack trace or a class name, and the
 * headers a status promises ({@code WWW-Authenticate}, {@code Allow} naming the route's methods, {@code Retry-After},
 * {@code Location}).
 */
final class HttpFuzzChecks {

    private static final Pattern UUID_V7 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    /** An HTTP method is a token (RFC 9110 §5.6.2). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** The routes that only read (RFC 9110 §15.5.6: their 405 offers GET alone), as a path without its query. */
    private static final Pattern READ_ONLY = Pattern.compile("/api/v1/commands/.*|/api/v1/changes|/api/v1/evaluations/[^/]+/changes"
            + "|/api/automations/[^/]+/changes/?|/actuator/.*|/v3/api-docs.*|/swagger-ui.*");
    private static final Set<String> AUTOUSERS_TYPES = Set.of("authentication_error", "authorization_error",
            "invalid_request_error", "not_found_error", "rate_limit_error", "api_error");
    private static final Set<String> AUTOUSERS_MEMBERS = Set.of("message", "type", "code", "param", "request_id");
    /** What only an implementation leaks: stack frames, exception and package names, the container's page. */
    private static final List<Pattern> LEAKS = List.of(Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\("),
            Pattern.compile("\\b[A-Za-z]*(Exception|Error)\\b"), Pattern.compile("\\b(java|javax|jakarta|org\\.springframework|"
                    + "org\\.apache|tools\\.jackson|com\\.fasterxml|io\\.patchbay|org\\.postgresql|org\\.jdbi)\\.[a-z]"),
            Pattern.compile("(?i)<html|apache tomcat|whitelabel"));

    private HttpFuzzChecks() {
    }

    /** What is wrong with {@code response} to {@code request}; empty when nothing is. */
    static List<String> violations(HttpFuzzCases.Case request, RawHttp.Response response) {
        List<String> wrong = new ArrayList<>();
        int status = response.status();
        if (status >= 500) {
            wrong.add("status " + status);
        }
        String requestId = response.header("X-Request-Id").orElse(null);
        if (requestId == null || !UUID_V7.matcher(requestId).matches()) {
            wrong.add("X-Request-Id is " + requestId);
        }
        // a successful answer of the documentation is a static document (YAML, HTML, JS; its schemas are named
        // "...Error"), not an API body: only the properties above apply to it
        String path = path(request.target());
        if (status < 400 && (path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui"))) {
            return wrong;
        }
        wrong.addAll(leaks(response.text(), new String(request.bytes(), StandardCharsets.UTF_8)));
        if (status == 401 && !response.header("WWW-Authenticate").map(v -> v.startsWith("Bearer")).orElse(false)) {
            wrong.add("401 without WWW-Authenticate: Bearer");
        }
        if (status == 405 && !response.header("Allow").map(v -> v.equals(READ_ONLY.matcher(path).matches() ? "GET" : "GET, PATCH"))
                .orElse(false)) {
            wrong.add("405 with Allow " + response.header("Allow").orElse(null));
        }
        if (status == 429 && response.header("Retry-After").isEmpty()) {
            wrong.add("429 without Retry-After");
        }
        if (status == 202 && response.header("Location").isEmpty()) {
            wrong.add("202 without Location");
        }
        if (!request.head() && status != 204 && status != 304) {
            wrong.addAll(bodyViolations(request, response, requestId));
        }
        return wrong;
    }

    /**
     * What {@code body} leaks of the implementation that the request did not send itself. Every pattern starts at a
     * word boundary, so a body with a long run of letters (an echoed field name) is checked in linear time.
     */
    static List<String> leaks(String body, String sent) {
        List<String> wrong = new ArrayList<>();
        for (Pattern leak : LEAKS) {
            var found = leak.matcher(body);
            if (found.find() && !sent.contains(found.group())) {
                wrong.add("body leaks '" + found.group() + "'");
            }
        }
        return wrong;
    }

    private static List<String> bodyViolations(HttpFuzzCases.Case request, RawHttp.Response response, String requestId) {
        JsonNode json;
        try {
            json = JsonValues.MAPPER.readTree(response.body());
        } catch (JacksonException e) {
            return List.of("body is not JSON: " + cut(response.text()));
        }
        if (json == null || !json.isObject()) {
            return List.of("body is not a JSON object: " + cut(response.text()));
        }
        if (!response.header("Content-Type").map(v -> v.toLowerCase(Locale.ROOT).startsWith("application/")
                && v.toLowerCase(Locale.ROOT).contains("json")).orElse(false)) {
            return List.of("Content-Type " + response.header("Content-Type").orElse(null) + " for a JSON body");
        }
        if (response.status() < 400) {
            return List.of();
        }
        if (!TOKEN.matcher(request.method()).matches()) {
            // Tomcat gives up at the method, before it reads the target: the API cannot be known (docs/*-differences.md)
            List<String> autousers = autousersError(json, requestId);
            return autousers.isEmpty() ? autousers : respanError(json);
        }
        String path = path(request.target());
        return path.startsWith("/api/automations") ? respanError(json) : autousersError(json, requestId);
    }

    /** The path as the server sees it (absolute-form targets name a host first), which chooses the API; no query. */
    private static String path(String target) {
        String path = target.startsWith("http://") ? target.replaceFirst("^http://[^/]*", "") : target;
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private static List<String> autousersError(JsonNode json, String requestId) {
        JsonNode error = json.get("error");
        if (json.size() != 1 || error == null || !error.isObject()) {
            return List.of("not the Autousers envelope: " + cut(json.toString()));
        }
        List<String> wrong = new ArrayList<>();
        error.propertyNames().forEach(name -> {
            if (!AUTOUSERS_MEMBERS.contains(name)) {
                wrong.add("Autousers error has member " + name);
            } else if (!error.get(name).isString()) {
                wrong.add("Autousers error member " + name + " is not a string");
            }
        });
        if (!error.has("message") || !error.has("type") || !AUTOUSERS_TYPES.contains(error.path("type").asString(""))) {
            wrong.add("Autousers error lacks message or a known type: " + cut(json.toString()));
        }
        if (!error.path("request_id").asString("").equals(requestId)) {
            wrong.add("request_id " + error.path("request_id") + " is not the X-Request-Id " + requestId);
        }
        return wrong;
    }

    /** DRF's shapes: {@code {"detail": "..."}} (with {@code code}, {@code retry_after} or {@code error_code}), or field errors. */
    private static List<String> respanError(JsonNode json) {
        if (json.has("detail")) {
            return json.get("detail").isString() ? List.of() : List.of("Respan detail is not a string: " + cut(json.toString()));
        }
        return fieldErrors(json) ? List.of() : List.of("not a DRF error body: " + cut(json.toString()));
    }

    /** Lists of messages by field, nested objects for nested fields, list indexes as keys. */
    private static boolean fieldErrors(JsonNode node) {
        if (node.isArray()) {
            for (JsonNode message : node) {
                if (!message.isString()) {
                    return false;
                }
            }
            return !node.isEmpty();
        }
        if (!node.isObject() || node.isEmpty()) {
            return false;
        }
        for (String name : node.propertyNames()) {
            if (!fieldErrors(node.get(name))) {
                return false;
            }
        }
        return true;
    }

    private static String cut(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
