package io.patchbay.adapter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.Decision;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads PATCH bodies strictly (api-contract §1.3): a size limit enforced before parsing, JSON content type,
 * UTF-8, no duplicate members, an object at the top. Each refusal is in the API's own words.
 */
public final class JsonBodies {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*?)\"");
    /** Parts of Jackson's messages that name its internals (in the order they are removed). */
    private static final List<Pattern> INTERNALS = List.of(
            Pattern.compile("\\s*\\((?:start marker at )?\\[Source:.*?\\]\\)"),
            Pattern.compile("\\s*at \\[Source:.*$"),
            Pattern.compile(",? from `[^`]*`"),
            Pattern.compile(":? enable `[^`]*` to allow"),
            Pattern.compile("\\s*\\(not recognized as one since Feature '[^']*' not enabled for parser\\)"),
            Pattern.compile("\\s*\\([^()]*`[^`]*`[^()]*\\)"),
            Pattern.compile("`[^`]*\\.[^`]*`"));

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
            throw (api == Api.AUTOUSERS
                    ? ApiError.invalid(null, "The request body must be a JSON object.")
                    : respanNotAnObject(node)).exception();
        }
        return (ObjectNode) node;
    }

    /**
     * The body decoded as UTF-8 and nothing else (api-contract §1.3): malformed and overlong sequences are
     * refused (Jackson's byte parser would take an overlong {@code C0 AF} for {@code /}) and UTF-16 and UTF-32 are
     * not auto-detected. For Respan a byte order mark is refused too, as Python's json refuses it.
     */
    private static String utf8(byte[] body, Api api) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw (api == Api.AUTOUSERS
                    ? ApiError.invalid(null, "The request body is not valid UTF-8.")
                    : respanParseError("Invalid UTF-8 byte sequence")).exception();
        }
        if (api == Api.RESPAN && text.startsWith("\uFEFF")) {
            throw respanParseError("Unexpected UTF-8 BOM").exception();
        }
        return text;
    }

    /**
     * DRF's answers to a body that is not an object: whitespace only is a parse error, {@code null} is
     * "No data provided" (DRF's serializer edge case), anything else names the Python type it parsed to.
     */
    private static ApiError respanNotAnObject(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return ApiError.of(400, null, null, null, "JSON parse error", "JSON parse error - No content to map due to end-of-input");
        }
        String message = node.isNull() ? "No data provided" : "Invalid data. Expected a dictionary, but got " + pythonType(node) + ".";
        return new ApiError(400, null, List.of(Decision.error(ErrorKind.INVALID, null, null, message)), null, Map.of());
    }

    /** The Python type a JSON value parses to in DRF ({@code json.loads}): str, int, float, bool, list, dict, NoneType. */
    public static String pythonType(JsonNode node) {
        if (node.isString()) {
            return "str";
        } else if (node.isBoolean()) {
            return "bool";
        } else if (node.isIntegralNumber()) {
            return "int";
        } else if (node.isNumber()) {
            return "float";
        } else if (node.isArray()) {
            return "list";
        } else if (node.isObject()) {
            return "dict";
        }
        return "NoneType";
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
        return respanParseError(publicParserMessage(message));
    }

    private static ApiError respanParseError(String parserMessage) {
        return ApiError.of(400, null, null, null, "JSON parse error", "JSON parse error - " + parserMessage);
    }

    /**
     * The parser's message without what only describes our implementation: source locations, Jackson class and
     * feature names. Clients see what is wrong with their JSON, not how we read it.
     */
    static String publicParserMessage(String message) {
        if (message == null || message.isBlank()) {
            return "invalid JSON";
        }
        String text = message.lines().findFirst().orElse(message);
        if (text.startsWith("Trailing token")) {
            return "Extra data after the JSON value";
        }
        for (Pattern internal : INTERNALS) {
            text = internal.matcher(text).replaceAll("");
        }
        return text.replace("`", "").strip();
    }
}
