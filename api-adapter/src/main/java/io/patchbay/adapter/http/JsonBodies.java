package io.patchbay.adapter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import io.patchbay.schemas.json.JsonValues;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads PATCH bodies strictly (api-contract §1.3): a size limit enforced before parsing, JSON content type,
 * UTF-8, no duplicate members, an object at the top. Each refusal is in the API's own words.
 */
public final class JsonBodies {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*?)\"");

    private final int maxBytes;

    public JsonBodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body as a JSON object, or an {@link ApiError.ApiException} in the API's format. */
    public ObjectNode readObject(HttpServletRequest request, Api api) {
        byte[] body = readLimited(request, api);
        if (api == Api.RESPAN && body.length == 0) {
            return JsonValues.MAPPER.createObjectNode();
        }
        checkContentType(request.getContentType(), api);
        if (body.length == 0) {
            throw ApiError.invalid(null, "The request body is empty; send a JSON object.").exception();
        }
        JsonNode node;
        try {
            node = JsonValues.MAPPER.readTree(utf8(body, api));
        } catch (JacksonException e) {
            throw parseError(e, api).exception();
        } catch (NumberFormatException e) {
            // Jackson reports a number beyond BigDecimal's range (1e999999999999) this way, not as a parse error.
            throw (api == Api.AUTOUSERS
                    ? ApiError.invalid(null, "The request body is not valid JSON: a number is out of range.")
                    : ApiError.of(400, null, null, null, "JSON parse error", "JSON parse error - Number out of range.")).exception();
        }
        if (node == null || !node.isObject()) {
            String kind = node == null ? "nothing" : node.isArray() ? "list" : node.getNodeType().name().toLowerCase(Locale.ROOT);
            throw (api == Api.AUTOUSERS
                    ? ApiError.invalid(null, "The request body must be a JSON object.")
                    : new ApiError(400, null, java.util.List.of(io.patchbay.schemas.rules.Decision.error(
                            io.patchbay.schemas.ErrorKind.INVALID, null, null,
                            "Invalid data. Expected a dictionary, but got " + kind + ".")), null, java.util.Map.of())).exception();
        }
        return (ObjectNode) node;
    }

    /**
     * The body decoded as UTF-8, strictly (api-contract §1.3). Jackson would otherwise detect UTF-16 and UTF-32
     * by itself and quietly accept them, and would not be the one to report malformed sequences consistently.
     */
    private static String utf8(byte[] body, Api api) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw (api == Api.AUTOUSERS
                    ? ApiError.invalid(null, "The request body is not valid UTF-8.")
                    : ApiError.of(400, null, null, null, "JSON parse error",
                            "JSON parse error - Invalid UTF-8 byte sequence in the request body.")).exception();
        }
    }

    private byte[] readLimited(HttpServletRequest request, Api api) {
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(api).exception();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(api).exception();
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkContentType(String contentType, Api api) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).replace(" ", "");
        boolean json = type.equals("application/json") || type.equals("application/json;charset=utf-8");
        if (json) {
            return;
        }
        if (api == Api.AUTOUSERS) {
            throw ApiError.invalid(null, "Content-Type must be application/json.").exception();
        }
        String shown = contentType == null ? "" : contentType;
        throw ApiError.of(415, null, null, null, "Unsupported media type", "Unsupported media type \"" + shown + "\" in request.").exception();
    }

    private ApiError tooLarge(Api api) {
        return ApiError.of(400, "invalid_request_error", null, null,
                "The request body is larger than " + maxBytes + " bytes.", "Request body too large.");
    }

    private static ApiError parseError(JacksonException e, Api api) {
        String message = e.getOriginalMessage();
        Matcher duplicate = DUPLICATE.matcher(message == null ? "" : message);
        if (api == Api.AUTOUSERS) {
            return duplicate.find()
                    ? ApiError.invalid(duplicate.group(1), "Member '" + duplicate.group(1) + "' appears more than once.")
                    : ApiError.invalid(null, "The request body is not valid JSON.");
        }
        String short_ = message == null ? "invalid JSON" : message.lines().findFirst().orElse(message);
        return ApiError.of(400, null, null, null, "JSON parse error", "JSON parse error - " + short_);
    }
}
