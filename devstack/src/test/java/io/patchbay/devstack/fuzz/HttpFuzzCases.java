package io.patchbay.devstack.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A seeded generator of malformed and random HTTP requests: request {@code i} of seed {@code s} is always the same
 * bytes. Each request starts as a plausible one (a route of either API, a real key, a JSON body of the route's fields)
 * and then takes one mutation of its {@link Kind}; {@link Kind#CHAOS} takes several. Nothing here knows what the
 * answer should be: {@link HttpFuzzChecks} checks properties every answer must have.
 */
final class HttpFuzzCases {

    /** The class of a request, counted per run. */
    enum Kind {
        PLAUSIBLE, METHOD, PATH_ENCODING, PATH_PARAMS, HEADER_SOUP, CONTENT_TYPE, CORS_PREFLIGHT, AUTHORIZATION,
        IDEMPOTENCY_KEY, VERSION_HEADER, FRAMING, BODY_RANDOM_BYTES, BODY_DEEP_JSON, BODY_WIDE_JSON, BODY_TYPED_FIELDS,
        BODY_HUGE_NUMBERS, BODY_UNICODE, BODY_OVERSIZED, CHAOS
    }

    /**
     * What the requests aim at: resources and keys made for the run.
     *
     * @param evaluations evaluation ids of the fuzzing team
     * @param automations automation ids and slugs of the fuzzing team
     * @param foreign resource ids of another team, which no key here belongs to
     * @param tokens the fuzzing team's API keys, by a label of their role and scopes
     * @param evaluators evaluator ids: the team's own and another team's
     * @param idempotencyPrefix makes this run's Idempotency-Keys its own
     */
    record Targets(List<String> evaluations, List<String> automations, List<String> foreign, Map<String, String> tokens,
                   List<String> evaluators, String idempotencyPrefix) {
    }

    /**
     * One request.
     *
     * @param bytes exactly what goes on the wire
     * @param fresh whether it must go on a connection of its own that is closed after it (framing mutations)
     */
    record Case(long index, Kind kind, String method, String target, byte[] bytes, boolean fresh) {

        /** Whether the request asked the server to leave the body out (HEAD). */
        boolean head() {
            return method.equals("HEAD");
        }

        /** The request as text, for a failure report (non-ASCII bytes escaped, long parts cut). */
        String describe() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(bytes.length, 1_500); i++) {
                int b = bytes[i] & 0xFF;
                s.append(b == '\r' ? "\\r" : b == '\n' ? "\\n\n" : b >= 0x20 && b < 0x7F ? String.valueOf((char) b)
                        : String.format("\\x%02X", b));
            }
            return s.append(bytes.length > 1_500 ? "... (" + bytes.length + " bytes)" : "").toString();
        }
    }

    private static final Kind[] KINDS = Kind.values();
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
        "application/json;charset=UTF-8", "APPLICATION/JSON", "application/json; charset=iso-8859-1", "application/json; charset=",
        "application/json;;", "text/plain", "text/json", "multipart/form-data", "multipart/form-data; boundary=xyz",
        "multipart/mixed", "*/*", "application/*", "*/json", "application/x-www-form-urlencoded", "application/xml",
        "application/merge-patch+json", "application/json-patch+json", "application/octet-stream", "", " ", "json",
        "application/json, text/plain", "application/json; boundary=x", "application/json; q=0.5", "a/b/c", "/", ";",
        "application/json; charset=\"utf-8\"", "text/html; charset=utf-8", "image/png"};
    private static final String[] ACCEPTS = {"*/*", "application/json", "application/xml", "text/html", "text/plain",
        "application/*", "*/json", "application/problem+json", "image/*", "", "garbage", "application/json;q=0",
        "text/event-stream", "application/json, */*;q=0.1"};
    private static final String[] METHODS = {"GET", "PATCH", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "TRACE",
        "CONNECT", "PROPFIND", "MKCOL", "LOCK", "FOO", "get", "patch", "Patch", "QUERY", "PRI", "BREW", "G@T", "GET/1",
        "PATCH\tX", "", "\u00e9T"};
    private static final String[] ENCODED = {"%2F", "%2f", "%5C", "%5c", "%00", "%2E", "%2E%2E", "%25", "%ZZ", "%", "%2",
        "%C0%AF", "%E0%80%AF", "%FF", "%FE%FF", "%ED%A0%80", "%F4%90%80%80", "%0A", "%0D%0A", "%09", "%20", "%7F", "%3B",
        "%3F", "%23", "%E2%80%AE", "%EF%BB%BF", "%F0%9F%98%80", "+", "%u002F", "%252F", "%C3%A9"};
    private static final String[] RAW_PATH_PARTS = {"//", "/./", "/../", "/..", "/.", ";", ";a=b", ";jsessionid=x",
        "?x=1", "?", "??", "&", "#frag", "%", "\\", "..%2F", "%2F..", " ", "\t", "|", "{}", "[]", "<>", "\"", "'", "`", "^",
        "~", "*", "@", "!", "$", ":", ","};
    private static final String[] EVALUATION_FIELDS = {"id", "teamId", "name", "description", "type", "status",
        "shareAccess", "sharePassword", "shareRequireEmail", "shareRequireName", "shareAllowAnon", "shareExpiry",
        "allowMultipleRatings", "editorsCanShare", "browserEngine", "useProxy", "proxyRegion", "modelId",
        "selectedAutousers", "config", "metadata", "__proto__", "constructor", "", "name ", "Name"};
    private static final String[] AUTOMATION_FIELDS = {"name", "is_enabled", "configuration", "evaluator_ids", "id",
        "automation_slug", "automation_type", "condition", "evaluator_details", "created_at", "updated_at", "extra", ""};
    private static final String[] ENUMS = {"Draft", "Running", "Ended", "Archived", "SSE", "SxS", "TEAM_ONLY",
        "AUTOUSERS_LINK", "ANYONE_WITH_LINK", "PASSWORD_PROTECTED", "LINK_ONLY", "chrome", "CHROME", "CAMOUFOX",
        "gemini-3-flash-preview", "gemini-2.5-computer-use-preview-10-2025", "draft", "running", "true", "false", "1", "0",
        "0.5", "1e-1", " 0.2 ", "NaN", "Infinity", "2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "2030-01-01",
        "10000-01-01T00:00:00Z", "eu", "null"};
    private static final String[] UNICODE = {"\\ud800", "\\udc00", "\\udbff\\udfff", "\\ud83d", "x\\ud800y", "\\u0000",
        "\\u0001", "\\u001f", "\\u007f", "\\u0085", "\\u2028", "\\u2029", "\\u202e", "\\ufeff", "\\ufffe", "\\uffff",
        "\\u200b", "\\u00a0", "\\u3000", "\ud83d\ude00", "\u0301\u0301\u0301", "e\u0301", "\u00e9", "\u4e2d\u6587",
        "\u0645\u0631\u062d\u0628\u0627", "\uff11", "\u1680", "\\\\", "\\\"", "\\/", "\\b\\f\\n\\r\\t"};
    private static final String[] NUMBERS = {"0", "-0", "1", "-1", "0.0", "1.0", "0.5", "1e0", "1E-400", "1e400",
        "1e999999999", "-1e999999999", "123456789012345678901234567890", "0.000000000000000000000000000001",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1.7976931348623157e309", "4.9e-325",
        "00", "01", "1.", ".5", "+1", "0x10", "1e", "1e+", "--1", "NaN", "Infinity", "-Infinity", "1_000"};

    private final long seed;
    private final Targets targets;

    HttpFuzzCases(long seed, Targets targets) {
        this.seed = seed;
        this.targets = targets;
    }

    /** Request {@code index} of this seed. */
    Case next(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        Kind kind = KINDS[random.nextInt(KINDS.length)];
        Draft draft = plausible(random);
        if (kind == Kind.CHAOS) {
            for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) {
                mutate(KINDS[1 + random.nextInt(KINDS.length - 2)], draft, random);
            }
        } else {
            mutate(kind, draft, random);
        }
        return new Case(index, kind, draft.method, draft.target, draft.bytes(), draft.fresh);
    }

    /** A request under construction: every part can still be replaced. */
    private static final class Draft {
        String method;
        String target;
        final List<String[]> headers = new ArrayList<>();
        byte[] body = new byte[0];
        boolean chunked;
        String contentLength;
        boolean fresh;
        String version = "HTTP/1.1";

        void header(String name, String value) {
            headers.add(new String[] {name, value});
        }

        void replace(String name, String value) {
            headers.removeIf(h -> h[0].equalsIgnoreCase(name));
            if (value != null) {
                header(name, value);
            }
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, method + " " + target + " " + version + "\r\nHost: 127.0.0.1\r\n");
            for (String[] h : headers) {
                write(out, h[0] + (h[1] == null ? "" : ": " + h[1]) + "\r\n");
            }
            if (chunked) {
                write(out, "Transfer-Encoding: chunked\r\n\r\n");
                if (body.length > 0) {
                    write(out, Integer.toHexString(body.length) + "\r\n");
                    out.writeBytes(body);
                    write(out, "\r\n");
                }
                write(out, "0\r\n\r\n");
            } else {
                write(out, "Content-Length: " + (contentLength != null ? contentLength : Integer.toString(body.length)) + "\r\n\r\n");
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        /** Header text goes out as ISO-8859-1 (one byte per char), except chars above U+00FF, which go as UTF-8. */
        private static void write(ByteArrayOutputStream out, String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c <= 0xFF) {
                    out.write(c);
                } else {
                    out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** The documentation routes (public, served by the adapter beside both APIs). */
    private static final String[] DOCUMENTATION = {"/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config",
            "/swagger-ui.html", "/swagger-ui/index.html", "/swagger-ui/swagger-initializer.js", "/swagger-ui/nope.css"};

    private Draft plausible(SplittableRandom random) {
        Draft d = new Draft();
        d.method = random.nextInt(10) < 6 ? "PATCH" : "GET";
        boolean evaluation = random.nextBoolean();
        int route = random.nextInt(10);
        String id = route < 6 ? pick(random, evaluation ? targets.evaluations() : targets.automations())
                : route < 8 ? pick(random, targets.foreign()) : "fz_unknown_" + random.nextInt(1000);
        if (route == 9 && random.nextBoolean()) {
            d.target = "/api/v1/commands/" + (random.nextBoolean() ? "0196" + Long.toHexString(random.nextLong()) : id);
            d.method = random.nextInt(4) == 0 ? "PATCH" : "GET";
        } else if (random.nextInt(6) == 0) {
            d.target = history(random, evaluation, id);
            d.method = "GET";
        } else if (random.nextInt(15) == 0) {
            // the public documentation: the OpenAPI document and Swagger UI (mutations then try odd methods and input)
            d.target = DOCUMENTATION[random.nextInt(DOCUMENTATION.length)];
            d.method = "GET";
        } else {
            d.target = evaluation ? "/api/v1/evaluations/" + id : "/api/automations/" + id + (random.nextBoolean() ? "/" : "");
        }
        d.header("Authorization", "Bearer " + pick(random, List.copyOf(targets.tokens().values())));
        if (random.nextInt(4) == 0) {
            d.header("Prefer", "respond-async");
        }
        if (random.nextInt(5) == 0) {
            d.header("Idempotency-Key", targets.idempotencyPrefix() + random.nextInt(50));
        }
        if (d.method.equals("PATCH")) {
            d.header("Content-Type", "application/json");
            d.body = utf8(evaluation ? objectOf(random, EVALUATION_FIELDS, this::evaluationValue)
                    : objectOf(random, AUTOMATION_FIELDS, this::automationValue));
        }
        return d;
    }

    /** A history route (a resource's changes or the team's feed) with some of its query parameters, valid or not. */
    private static String history(SplittableRandom random, boolean evaluation, String id) {
        String[] values = {"1", "100", "101", "0", "-1", "abc", "99999999999999999999", "", "%00", "eyJ2IjoxfQ", "é"};
        int route = random.nextInt(3);
        String path = route == 0 ? "/api/v1/changes" : evaluation ? "/api/v1/evaluations/" + id + "/changes"
                : "/api/automations/" + id + "/changes/";
        StringBuilder query = new StringBuilder();
        for (String name : route == 0 ? new String[] {"limit", "after", "type"} : new String[] {"limit", "cursor", "page_size"}) {
            if (random.nextInt(3) == 0) {
                String value = name.equals("type") && random.nextBoolean()
                        ? pick(random, new String[] {"evaluation.changed", "automation.changed", "x"}) : pick(random, values);
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=').append(value);
            }
        }
        return path + query;
    }

    private void mutate(Kind kind, Draft d, SplittableRandom random) {
        switch (kind) {
            case PLAUSIBLE, CHAOS -> { }
            case METHOD -> d.method = pick(random, METHODS);
            case PATH_ENCODING -> d.target = insert(random, d.target, pick(random, ENCODED), random.nextInt(3) + 1);
            case PATH_PARAMS -> d.target = insert(random, d.target, pick(random, RAW_PATH_PARTS), random.nextInt(2) + 1);
            case HEADER_SOUP -> headerSoup(d, random);
            case CONTENT_TYPE -> {
                d.replace("Content-Type", random.nextInt(8) == 0 ? null : pick(random, CONTENT_TYPES));
                if (random.nextBoolean()) {
                    d.header("Accept", pick(random, ACCEPTS));
                }
                if (random.nextInt(4) == 0) {
                    d.target = random.nextBoolean() ? "/actuator/health" : "/actuator/health/liveness";
                    d.method = random.nextBoolean() ? "GET" : pick(random, METHODS);
                }
            }
            case CORS_PREFLIGHT -> {
                d.method = random.nextInt(4) == 0 ? "GET" : "OPTIONS";
                d.header("Origin", pick(random, new String[] {"https://evil.example", "null", "http://localhost:3000", ""}));
                d.header("Access-Control-Request-Method", pick(random, METHODS));
                if (random.nextBoolean()) {
                    d.header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key");
                }
            }
            case AUTHORIZATION -> authorization(d, random);
            case IDEMPOTENCY_KEY -> {
                String[] keys = {"\u007f", "a\u007fb", "\u00e9t\u00e9", "", " ", "\t", "x".repeat(256), "x".repeat(255),
                    " spaced ", "a\u0000b", "\u0080", "\u00ff", "ok-" + random.nextInt(10)};
                d.replace("Idempotency-Key", targets.idempotencyPrefix() + pick(random, keys));
                if (random.nextInt(4) == 0) {
                    d.header("Idempotency-Key", targets.idempotencyPrefix() + "second");
                }
            }
            case VERSION_HEADER -> d.replace("Autousers-Version", pick(random, new String[] {"2026-05-04", "2026-5-4",
                "2025-01-01", "2026-02-30", "", "latest", "2026-05-04 ", "9999-99-99", "2026-05-04T00:00:00Z", "\u00e9"}));
            case FRAMING -> framing(d, random);
            case BODY_RANDOM_BYTES -> {
                d.body = new byte[random.nextInt(random.nextBoolean() ? 64 : 4_096)];
                random.nextBytes(d.body);
            }
            case BODY_DEEP_JSON -> d.body = utf8(deep(random));
            case BODY_WIDE_JSON -> d.body = utf8(wide(random));
            case BODY_TYPED_FIELDS -> d.body = utf8(d.target.contains("automations")
                    ? objectOf(random, AUTOMATION_FIELDS, (r, f) -> anyValue(r, 3)) : objectOf(random, EVALUATION_FIELDS, (r, f) -> anyValue(r, 3)));
            case BODY_HUGE_NUMBERS -> d.body = utf8("{\"" + pick(random, random.nextBoolean() ? EVALUATION_FIELDS : AUTOMATION_FIELDS)
                    + "\":" + pick(random, NUMBERS) + ",\"configuration\":{\"sampling_rate\":" + pick(random, NUMBERS) + "}}");
            case BODY_UNICODE -> d.body = unicodeBody(random);
            case BODY_OVERSIZED -> d.body = utf8("{\"name\":\"" + "x".repeat(65_536 + random.nextInt(1_000)) + "\"}");
        }
    }

    private void headerSoup(Draft d, SplittableRandom random) {
        for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
            switch (random.nextInt(12)) {
                case 0 -> d.header(token(random, 1 + random.nextInt(20)), text(random, random.nextInt(40)));
                case 1 -> d.header("X-Request-Id", pick(random, new String[] {"client-chosen", "", "0".repeat(500)}));
                case 2 -> d.header("X-Long", "v".repeat(random.nextBoolean() ? 9_000 : 1_000));
                case 3 -> d.header("Bad Header", "space in name");
                case 4 -> d.header("NoColon", null);
                case 5 -> d.header("X-Ctl", "a\u0001b");
                case 6 -> d.header("X-Folded", "a\r\n b");
                case 7 -> d.header("Expect", pick(random, new String[] {"100-continue", "200-ok", ""}));
                case 8 -> d.header("Content-Encoding", pick(random, new String[] {"gzip", "deflate", "br", "identity", "x"}));
                case 9 -> d.header("Accept", pick(random, ACCEPTS));
                case 10 -> {
                    for (int k = 0; k < 110; k++) {
                        d.header("X-Many-" + k, "v");
                    }
                }
                default -> d.header("Range", "bytes=0-1");
            }
        }
    }

    private void authorization(Draft d, SplittableRandom random) {
        String valid = pick(random, List.copyOf(targets.tokens().values()));
        String keyId = valid.substring(3, valid.lastIndexOf('.'));
        String[] values = {"Bearer " + valid.substring(0, valid.length() - 1) + "0", "Bearer pb." + keyId + ".",
            "Bearer pb.." + "x", "Bearer pb.a.b.c", "Bearer " + valid + " ", "bearer " + valid, "BEARER " + valid, "Bearer",
            "Bearer ", "Basic dXNlcjpwYXNz", "Token " + valid, "Bearer pb.fz_nobody_" + random.nextInt(100) + ".secret",
            "Bearer pb." + "k".repeat(300) + ".s", "Bearer pb.k." + "s".repeat(5_000), "Bearer \u00e9\u00e9",
            "Bearer " + valid + "\u0000", "Bearer\t" + valid, "", "Bearer " + targets.tokens().getOrDefault("revoked", valid)};
        d.replace("Authorization", random.nextInt(10) == 0 ? null : pick(random, values));
        if (random.nextInt(6) == 0) {
            d.header("Authorization", "Bearer " + valid);
        }
    }

    private void framing(Draft d, SplittableRandom random) {
        d.fresh = true;
        d.header("Connection", "close");
        switch (random.nextInt(6)) {
            case 0 -> d.chunked = true;
            case 1 -> d.contentLength = Integer.toString(Math.max(0, d.body.length - 1 - random.nextInt(5)));
            case 2 -> d.contentLength = pick(random, new String[] {"-1", "abc", "0, 5", "99999999999999999999", " 0"});
            case 3 -> {
                d.header("Content-Length", "0");
                d.header("Transfer-Encoding", "chunked");
            }
            case 4 -> d.version = pick(random, new String[] {"HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1x", "http/1.1", ""});
            default -> d.target = pick(random, new String[] {"*", "http://127.0.0.1/api/v1/evaluations/x", "api/v1/evaluations/x",
                "/api/v1/evaluations/\u00e9", "/api/v1/evaluations/a b", "/" + "a".repeat(9_000)});
        }
    }

    private String evaluationValue(SplittableRandom random, String field) {
        if (field.equals("sharePassword") && random.nextInt(4) != 0) {
            return random.nextBoolean() ? "null" : "\"abc\"";
        }
        return random.nextInt(3) == 0 ? anyValue(random, 2) : quoted(pick(random, ENUMS));
    }

    private String automationValue(SplittableRandom random, String field) {
        return switch (field) {
            case "configuration" -> "{\"sampling_rate\":" + (random.nextBoolean() ? pick(random, NUMBERS) : quoted(pick(random, ENUMS)))
                    + (random.nextBoolean() ? ",\"extra\":" + anyValue(random, 2) : "") + "}";
            case "evaluator_ids" -> "[" + quoted(pick(random, targets.evaluators())) + (random.nextBoolean() ? ","
                    + quoted(pick(random, targets.evaluators())) : "") + "]";
            case "is_enabled" -> pick(random, new String[] {"true", "false", "\"true\"", "1", "0", "2", "\"yes\"", "null"});
            default -> random.nextInt(3) == 0 ? anyValue(random, 2) : quoted("Fuzz " + random.nextInt(1000));
        };
    }

    /** An object of 0 to 5 of {@code fields}, with values from {@code value}. */
    private static String objectOf(SplittableRandom random, String[] fields, ValueMaker value) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0, n = random.nextInt(6); i < n; i++) {
            String field = pick(random, fields);
            s.append(i == 0 ? "" : ",").append(quoted(field)).append(':').append(value.make(random, field));
        }
        return s.append('}').toString();
    }

    /** Makes a JSON value for one field. */
    private interface ValueMaker {
        String make(SplittableRandom random, String field);
    }

    /** Any JSON value, nested at most {@code depth} more levels. */
    private static String anyValue(SplittableRandom random, int depth) {
        switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0: return "null";
            case 1: return random.nextBoolean() ? "true" : "false";
            case 2: return pick(random, NUMBERS);
            case 3: return Long.toString(random.nextLong());
            case 4: return quoted(pick(random, ENUMS));
            case 5: return quoted(pick(random, UNICODE) + text(random, random.nextInt(10)));
            case 6: return quoted("s".repeat(random.nextInt(4) == 0 ? 70_000 / 2 : random.nextInt(300)));
            case 7: {
                StringBuilder a = new StringBuilder("[");
                for (int i = 0, n = random.nextInt(4); i < n; i++) {
                    a.append(i == 0 ? "" : ",").append(anyValue(random, depth - 1));
                }
                return a.append(']').toString();
            }
            default: {
                StringBuilder o = new StringBuilder("{");
                for (int i = 0, n = random.nextInt(4); i < n; i++) {
                    o.append(i == 0 ? "" : ",").append(quoted(token(random, 1 + random.nextInt(8)))).append(':')
                            .append(anyValue(random, depth - 1));
                }
                return o.append('}').toString();
            }
        }
    }

    private static String deep(SplittableRandom random) {
        int depth = pick(random, new Integer[] {100, 499, 500, 501, 1_000, 5_000, 20_000, 40_000});
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        String inner = random.nextBoolean() ? "1" : "null";
        String nested = open.repeat(depth) + inner + close.repeat(depth);
        return random.nextBoolean() ? nested : "{\"configuration\":{\"sampling_rate\":0.1,\"deep\":" + nested + "},\"name\":" + nested + "}";
    }

    private static String wide(SplittableRandom random) {
        int members = pick(random, new Integer[] {100, 1_000, 5_000, 8_000});
        boolean duplicates = random.nextBoolean();
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < members; i++) {
            s.append(i == 0 ? "" : ",").append('"').append(duplicates ? "name" : "m" + i).append("\":").append(i);
        }
        return s.append('}').toString();
    }

    private byte[] unicodeBody(SplittableRandom random) {
        switch (random.nextInt(6)) {
            case 0:
                return concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{\"name\":\"bom\"}"));
            case 1:
                return concat(utf8("{\"name\":\""), pickBytes(random), utf8("\"}"));
            case 2:
                return "{\"name\":\"utf16\"}".getBytes(random.nextBoolean() ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
            case 3:
                return utf8("{\"configuration\":{\"sampling_rate\":0.2,\"note\":\"" + pick(random, UNICODE) + "\"},\"name\":\""
                        + pick(random, UNICODE) + "\"}");
            case 4:
                return utf8("{\"" + pick(random, UNICODE) + "\":1,\"name\":\"" + text(random, 20) + "\"}");
            default:
                return utf8("{\"name\":\"" + pick(random, UNICODE) + pick(random, UNICODE) + "\",\"description\":\""
                        + pick(random, UNICODE) + "\",\"evaluator_ids\":[\"" + pick(random, UNICODE) + "\"]}");
        }
    }

    /** Byte sequences that are not UTF-8: overlong forms, encoded surrogates, bytes that never occur. */
    private static byte[] pickBytes(SplittableRandom random) {
        int[][] sequences = {{0xC0, 0xAF}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xFF},
            {0x80}, {0xC3}, {0xF0, 0x9F, 0x98}, {0x00}, {0xFE, 0xFF}};
        int[] chosen = sequences[random.nextInt(sequences.length)];
        byte[] bytes = new byte[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            bytes[i] = (byte) chosen[i];
        }
        return bytes;
    }

    /** {@code part} inserted {@code times} at random places after the route's first segment. */
    private static String insert(SplittableRandom random, String target, String part, int times) {
        StringBuilder s = new StringBuilder(target);
        for (int i = 0; i < times; i++) {
            int at = 1 + random.nextInt(s.length());
            s.insert(at, part);
        }
        return s.toString();
    }

    private static String token(SplittableRandom random, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Printable text with a few JSON-sensitive and non-ASCII characters. */
    private static String text(SplittableRandom random, int length) {
        String alphabet = "abc XYZ019-_.,:;!?()[]{}<>'`~@#$%^&*=+|/ \u00e9\u00fc\u4e2d";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** {@code text} as a JSON string; its escapes (in {@link #UNICODE}) are kept as written, on purpose. */
    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static Function<Long, Case> of(long seed, Targets targets) {
        HttpFuzzCases cases = new HttpFuzzCases(seed, targets);
        return cases::next;
    }
}
