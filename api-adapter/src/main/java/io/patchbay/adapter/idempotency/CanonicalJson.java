package io.patchbay.adapter.idempotency;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * RFC 8785 (JCS) canonical form of a parsed JSON value: members sorted by UTF-16 code units, no whitespace,
 * ECMAScript number formatting, minimal string escaping. Used for request fingerprints, where member order
 * and whitespace must not matter but {@code "true"} and {@code true} must.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> entry : node.properties().stream()
                    .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder())).toList()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(entry.getKey(), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isString()) {
            string(node.stringValue(), out);
        } else if (node.isNumber()) {
            out.append(number(node.decimalValue()));
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else {
            out.append("null");
        }
    }

    /**
     * ECMAScript Number.prototype.toString of the nearest double. A number beyond the double range (JCS has no
     * form for it) gets its exact decimal in upper-case scientific notation instead, which no finite JCS
     * number uses: the fingerprint stays deterministic and such a body is refused later by the field rules,
     * instead of failing the request with a 500 at the idempotency lookup.
     */
    static String number(BigDecimal value) {
        double d = value.doubleValue();
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            return value.stripTrailingZeros().toString().replace('e', 'E');
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent >= -6 && exponent < 21) {
            return shortest.toPlainString();
        }
        String digits = shortest.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mantissa + "e" + (exponent > 0 ? "+" : "") + exponent;
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || (Character.isSurrogate(c) && !pairedSurrogate(s, i))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Whether the surrogate at {@code i} belongs to a pair. An unpaired one (JCS has no form for it) is escaped
     * as {@code \\uXXXX}, so it cannot share a fingerprint with the '?' that UTF-8 encoding would turn it into.
     */
    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
