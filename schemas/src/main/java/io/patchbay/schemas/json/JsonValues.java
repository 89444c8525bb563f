package io.patchbay.schemas.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonObject;
import io.patchbay.schemas.JsonValue;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts between Jackson trees and the typed Avro {@link JsonValue}, keeping member order and number
 * literals exactly. Also holds the one strict {@link JsonMapper} patchbay parses and writes JSON with.
 */
public final class JsonValues {

    /** Strict: duplicate members fail, numbers keep full precision. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    private JsonValues() {
    }

    public static JsonValue fromNode(JsonNode node) {
        Object value;
        if (node == null || node.isNull() || node.isMissingNode()) {
            value = null;
        } else if (node.isBoolean()) {
            value = node.booleanValue();
        } else if (node.isString()) {
            value = node.stringValue();
        } else if (node.isNumber()) {
            value = new JsonNumber(numberLiteral(node));
        } else if (node.isArray()) {
            List<JsonValue> items = new ArrayList<>(node.size());
            node.values().forEach(item -> items.add(fromNode(item)));
            value = items;
        } else if (node.isObject()) {
            value = new JsonObject(membersOf(node));
        } else {
            throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
        return new JsonValue(value);
    }

    /** The members of a JSON object, in order. */
    public static List<JsonMember> membersOf(JsonNode object) {
        List<JsonMember> members = new ArrayList<>(object.size());
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            members.add(new JsonMember(entry.getKey(), fromNode(entry.getValue())));
        }
        return members;
    }

    public static JsonNode toNode(JsonValue value) {
        Object raw = value == null ? null : value.getValue();
        if (raw == null) {
            return NODES.nullNode();
        } else if (raw instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        } else if (raw instanceof CharSequence text) {
            return NODES.stringNode(text.toString());
        } else if (raw instanceof JsonNumber number) {
            return numberNode(number.getLiteral());
        } else if (raw instanceof List<?> items) {
            ArrayNode array = NODES.arrayNode(items.size());
            items.forEach(item -> array.add(toNode((JsonValue) item)));
            return array;
        } else if (raw instanceof JsonObject object) {
            return objectOf(object.getMembers());
        }
        throw new IllegalArgumentException("unexpected JsonValue branch " + raw.getClass().getName());
    }

    /** A JSON object with {@code members} in order. */
    public static ObjectNode objectOf(List<JsonMember> members) {
        ObjectNode object = NODES.objectNode();
        members.forEach(member -> object.set(member.getName(), toNode(member.getValue())));
        return object;
    }

    /** Parses a stored JSON object (text) into members, in order. */
    public static List<JsonMember> parseMembers(String jsonObject) {
        return membersOf(MAPPER.readTree(jsonObject));
    }

    /** Writes members as compact JSON object text. */
    public static String writeMembers(List<JsonMember> members) {
        return MAPPER.writeValueAsString(objectOf(members));
    }

    private static String numberLiteral(JsonNode node) {
        Number number = node.numberValue();
        if (number instanceof BigDecimal decimal) {
            return decimal.toString();
        }
        return number.toString();
    }

    private static JsonNode numberNode(String literal) {
        boolean integral = literal.chars().noneMatch(c -> c == '.' || c == 'e' || c == 'E');
        return integral ? NODES.numberNode(new BigInteger(literal)) : NODES.numberNode(new BigDecimal(literal));
    }
}
