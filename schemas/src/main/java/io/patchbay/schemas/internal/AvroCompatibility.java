package io.patchbay.schemas.internal;

import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Avro's own {@link SchemaCompatibility}, with its findings rendered for people: each names the record and the
 * field, and a dotted path from the top-level schema (e.g.
 * {@code io.patchbay.schemas.CommandResult.errors[].kind (record io.patchbay.schemas.CommandError, field
 * 'kind'): MISSING_ENUM_SYMBOLS: ...}).
 */
public final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /**
     * Why {@code reader} cannot read data written with {@code writer}; empty when it can.
     */
    public static List<String> problems(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
                .getIncompatibilities().stream()
                .map(incompatibility -> describe(incompatibility, reader))
                .toList();
    }

    static String describe(Incompatibility incompatibility, Schema readerRoot) {
        Location location = locate(readerRoot, incompatibility.getLocation());
        StringBuilder text = new StringBuilder(location.path);
        if (location.record != null) {
            text.append(" (record ").append(location.record).append(", field '").append(location.field).append("')");
        }
        text.append(": ").append(incompatibility.getType()).append(": ");
        String message = incompatibility.getMessage();
        switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> text.append("field '").append(message)
                    .append("' has no default value, so data written without it cannot be read");
            case MISSING_ENUM_SYMBOLS -> text.append("enum ")
                    .append(incompatibility.getReaderFragment().getFullName())
                    .append(" lacks symbol(s) ").append(message).append(" that the writer may use");
            default -> text.append(message);
        }
        return text.toString();
    }

    private record Location(String path, String record, String field) {
    }

    /** Walks an Avro compatibility location (a JSON pointer into the reader, e.g. /fields/1/type/items). */
    private static Location locate(Schema root, String pointer) {
        StringBuilder path = new StringBuilder(root.getFullName());
        String record = null;
        String field = null;
        Schema current = root;
        String[] segments = pointer == null ? new String[0] : pointer.split("/");
        int i = segments.length > 0 && segments[0].isEmpty() ? 1 : 0;
        while (i < segments.length) {
            String segment = segments[i];
            if (segment.equals("fields") && i + 1 < segments.length && current.getType() == Schema.Type.RECORD
                    && isIndex(segments[i + 1], current.getFields().size())) {
                Schema.Field f = current.getFields().get(Integer.parseInt(segments[i + 1]));
                record = current.getFullName();
                field = f.name();
                path.append('.').append(f.name());
                current = f.schema();
                i += 2;
            } else if (segment.equals("type")) {
                i++;
            } else if (segment.equals("items") && current.getType() == Schema.Type.ARRAY) {
                path.append("[]");
                current = current.getElementType();
                i++;
            } else if (segment.equals("values") && current.getType() == Schema.Type.MAP) {
                path.append("{}");
                current = current.getValueType();
                i++;
            } else if (segment.chars().allMatch(Character::isDigit) && !segment.isEmpty()) {
                // a branch index of the writer's union: the reader schema does not move
                i++;
            } else {
                // symbols, size, name, ...: a property of the current type; show the rest as it is
                path.append(" /").append(String.join("/", Arrays.copyOfRange(segments, i, segments.length)));
                break;
            }
        }
        return new Location(path.toString(), record, field);
    }

    private static boolean isIndex(String segment, int size) {
        if (segment.isEmpty() || !segment.chars().allMatch(Character::isDigit) || segment.length() > 9) {
            return false;
        }
        return Integer.parseInt(segment) < size;
    }
}
