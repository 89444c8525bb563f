package io.patchbay.adapter.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders neutral errors into each API's body: Autousers' {@code {"error":{message,type,code,param,request_id}}}
 * (first error only, absent members omitted) and Respan's DRF shapes ({@code {"field":["msg"]}}, nested for
 * dotted paths, or {@code {"detail":"..."}}).
 */
public final class ErrorRenderer {

    private ErrorRenderer() {
    }

    private static final byte[] RESPAN_INTERNAL_ERROR =
            "{\"detail\":\"Internal server error\",\"error_code\":\"INTERNAL_ERROR\"}".getBytes(StandardCharsets.UTF_8);

    /**
     * The body of {@code error} in {@code api}'s format; Respan's 500 body is fixed ([KW-errors]), its 503 (a retry
     * while the key's first request is still publishing) a {@code detail} with a {@code code}.
     */
    public static byte[] render(Api api, ApiError error, String requestId) {
        if (api == Api.AUTOUSERS) {
            return autousers(error.type(), error.errors().get(0), requestId);
        }
        return error.status() >= 500 && error.status() != 503 ? RESPAN_INTERNAL_ERROR.clone() : respan(error);
    }

    public static byte[] autousers(String type, CommandError error, String requestId) {
        ObjectNode body = JsonValues.MAPPER.createObjectNode();
        ObjectNode inner = body.putObject("error");
        inner.put("message", error.getMessage());
        inner.put("type", type);
        if (error.getCode() != null) {
            inner.put("code", error.getCode());
        }
        if (error.getField() != null) {
            inner.put("param", error.getField());
        }
        inner.put("request_id", requestId);
        return JsonValues.MAPPER.writeValueAsBytes(body);
    }

    public static byte[] respan(ApiError error) {
        if (error.respanDetail() != null) {
            ObjectNode body = JsonValues.MAPPER.createObjectNode().put("detail", error.respanDetail());
            if (error.status() == 409 || error.status() == 503) {
                body.put("code", error.errors().get(0).getCode());
            } else if (error.status() == 429 && error.headers().containsKey("Retry-After")) {
                body.put("retry_after", Long.parseLong(error.headers().get("Retry-After")));
            }
            return JsonValues.MAPPER.writeValueAsBytes(body);
        }
        return respanFields(error.errors());
    }

    /**
     * DRF field errors: {@code a.b} nests, several messages for one field are listed together. A field with errors
     * of its own ({@code configuration}: a surrogate) is reported with those only, not with its members' errors
     * ({@code configuration.sampling_rate}), as DRF does when a field fails before its members are validated.
     */
    public static byte[] respanFields(List<CommandError> errors) {
        ObjectNode body = JsonValues.MAPPER.createObjectNode();
        for (CommandError error : errors) {
            if (error.getField() == null) {
                String key = error.getKind() == ErrorKind.INVALID ? "non_field_errors" : "detail";
                if (key.equals("detail")) {
                    body.put("detail", error.getMessage());
                } else {
                    body.withArray(key).add(error.getMessage());
                }
                continue;
            }
            String[] path = error.getField().split("\\.");
            ObjectNode node = body;
            for (int i = 0; i < path.length - 1 && node != null; i++) {
                JsonNode child = node.get(path[i]);
                node = child == null ? node.putObject(path[i]) : child.isObject() ? (ObjectNode) child : null;
            }
            if (node == null) {
                continue; // a field with errors of its own: DRF reports those, not the errors of its members
            }
            String leaf = path[path.length - 1];
            if (node.get(leaf) instanceof ObjectNode) {
                node.putArray(leaf); // the field's own errors replace its members', in its place, whichever came first
            }
            node.withArray(leaf).add(error.getMessage());
        }
        return JsonValues.MAPPER.writeValueAsBytes(body);
    }

    /** The Autousers error type of a neutral error kind. */
    public static String autousersType(ErrorKind kind) {
        return switch (kind) {
            case INVALID -> "invalid_request_error";
            case FORBIDDEN -> "authorization_error";
            case NOT_FOUND -> "not_found_error";
        };
    }

    public static int status(ErrorKind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
        };
    }
}
