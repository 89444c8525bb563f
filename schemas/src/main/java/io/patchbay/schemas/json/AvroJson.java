package io.patchbay.schemas.json;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HexFormat;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

import io.patchbay.schemas.JsonValue;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Avro record (a change event, a state) as plain JSON, field by field in schema order: unions are their branch's
 * value, enums their symbol, {@code timestamp-millis} an ISO 8601 UTC instant with milliseconds, bytes lower-case hex,
 * and a typed {@link JsonValue} the JSON it holds. The shape patchbay's history routes show change events in.
 */
public final class AvroJson {

    private static final JsonNodeFactory NODES = JsonValues.MAPPER.getNodeFactory();
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AvroJson() {
    }

    public static ObjectNode toNode(IndexedRecord record) {
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            object.set(field.name(), value(record.get(field.pos())));
        }
        return object;
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof JsonValue json) {
            return JsonValues.toNode(json);
        } else if (value instanceof IndexedRecord record) {
            return toNode(record);
        } else if (value instanceof CharSequence text) {
            return NODES.stringNode(text.toString());
        } else if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        } else if (value instanceof Integer number) {
            return NODES.numberNode(number);
        } else if (value instanceof Long number) {
            return NODES.numberNode(number);
        } else if (value instanceof Float number) {
            return NODES.numberNode(number);
        } else if (value instanceof Double number) {
            return NODES.numberNode(number);
        } else if (value instanceof Instant instant) {
            return NODES.stringNode(MILLIS.format(instant));
        } else if (value instanceof ByteBuffer bytes) {
            ByteBuffer copy = bytes.duplicate();
            byte[] array = new byte[copy.remaining()];
            copy.get(array);
            return NODES.stringNode(HexFormat.of().formatHex(array));
        } else if (value instanceof Enum<?> symbol) {
            return NODES.stringNode(symbol.name());
        } else if (value instanceof GenericEnumSymbol<?> symbol) {
            return NODES.stringNode(symbol.toString());
        } else if (value instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(value(item)));
            return array;
        }
        throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
    }
}
