package io.patchbay.bench.peer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Full rows of patchbay's resource tables as Kafka Connect records for the JSON converter with schemas
 * ({@code {"schema": …, "payload": …}}), the input of Debezium's JDBC sink: the key is the row's {@code id}, the
 * value every column of the row, flat (as after Debezium's {@code ExtractNewRecordState}). Timestamps are
 * {@code io.debezium.time.ZonedTimestamp} strings (what Debezium's PostgreSQL source emits for {@code timestamptz}, at
 * microsecond precision), {@code configuration_extra} an {@code io.debezium.data.Json} string, {@code evaluator_ids}
 * an array. The one column left out is {@code evaluation.share_password_hash}: patchbay's change events, where the
 * rows come from, never carry a secret.
 */
public final class SinkRecords {

    /** The topics (and so, with {@code collection.name.format=${topic}}, the tables) the sink writes. */
    public static final String EVALUATION_TOPIC = "evaluation";
    public static final String AUTOMATION_TOPIC = "automation";

    /** The columns a sink record carries, per table; the rows compared after a run. */
    public static final String EVALUATION_COLUMNS = "id, team_id, name, description, type, status, share_access,"
            + " share_require_email, share_require_name, share_allow_anon, share_expiry, allow_multiple_ratings,"
            + " editors_can_share, browser_engine, use_proxy, proxy_region, model_id, created_at, updated_at, version";
    public static final String AUTOMATION_COLUMNS = "id, team_id, slug, name, automation_type, condition_id, evaluator_ids,"
            + " is_enabled, sampling_rate, configuration_extra, created_at, updated_at, version";

    /** One record: its topic, the row's id and version, key JSON and value JSON. */
    public record SinkRecord(String topic, String id, long version, String key, String value) {
    }

    private static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final ObjectNode KEY_SCHEMA = struct("key", List.of(field("id", "string", false, null)));
    private static final ObjectNode EVALUATION_SCHEMA = struct("evaluation", List.of(
            field("id", "string", false, null), field("team_id", "string", false, null), field("name", "string", false, null),
            field("description", "string", true, null), field("type", "string", false, null),
            field("status", "string", false, null), field("share_access", "string", false, null),
            field("share_require_email", "boolean", false, null), field("share_require_name", "boolean", false, null),
            field("share_allow_anon", "boolean", false, null), field("share_expiry", "string", true, ZONED_TIMESTAMP),
            field("allow_multiple_ratings", "boolean", false, null), field("editors_can_share", "boolean", false, null),
            field("browser_engine", "string", true, null), field("use_proxy", "boolean", true, null),
            field("proxy_region", "string", true, null), field("model_id", "string", true, null),
            field("created_at", "string", false, ZONED_TIMESTAMP), field("updated_at", "string", false, ZONED_TIMESTAMP),
            field("version", "int64", false, null)));
    private static final ObjectNode AUTOMATION_SCHEMA = struct("automation", List.of(
            field("id", "string", false, null), field("team_id", "string", false, null), field("slug", "string", false, null),
            field("name", "string", false, null), field("automation_type", "string", false, null),
            field("condition_id", "string", true, null), stringArray("evaluator_ids"),
            field("is_enabled", "boolean", false, null), field("sampling_rate", "double", true, null),
            field("configuration_extra", "string", false, "io.debezium.data.Json"),
            field("created_at", "string", false, ZONED_TIMESTAMP), field("updated_at", "string", false, ZONED_TIMESTAMP),
            field("version", "int64", false, null)));

    private SinkRecords() {
    }

    /** The row an applied evaluation change leaves behind. */
    public static SinkRecord evaluation(EvaluationState s) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", s.getId());
        p.put("team_id", s.getTeamId());
        p.put("name", s.getName());
        p.put("description", s.getDescription());
        p.put("type", s.getType().name());
        p.put("status", s.getStatus().name());
        p.put("share_access", s.getShareAccess().name());
        p.put("share_require_email", s.getShareRequireEmail());
        p.put("share_require_name", s.getShareRequireName());
        p.put("share_allow_anon", s.getShareAllowAnon());
        p.put("share_expiry", zoned(s.getShareExpiry()));
        p.put("allow_multiple_ratings", s.getAllowMultipleRatings());
        p.put("editors_can_share", s.getEditorsCanShare());
        p.put("browser_engine", s.getBrowserEngine() == null ? null : s.getBrowserEngine().name());
        p.put("use_proxy", s.getUseProxy());
        p.put("proxy_region", s.getProxyRegion());
        p.put("model_id", s.getModelId());
        p.put("created_at", zoned(s.getCreatedAt()));
        p.put("updated_at", zoned(s.getUpdatedAt()));
        p.put("version", s.getVersion());
        return record(EVALUATION_TOPIC, s.getId(), EVALUATION_SCHEMA, p);
    }

    /** The row an applied automation change leaves behind. */
    public static SinkRecord automation(AutomationState s) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", s.getId());
        p.put("team_id", s.getTeamId());
        p.put("slug", s.getSlug());
        p.put("name", s.getName());
        p.put("automation_type", s.getAutomationType());
        p.put("condition_id", s.getCondition() == null ? null : s.getCondition().getId());
        ArrayNode evaluators = p.putArray("evaluator_ids");
        s.getEvaluatorIds().forEach(evaluators::add);
        p.put("is_enabled", s.getIsEnabled());
        p.put("sampling_rate", s.getConfiguration().getSamplingRate());
        p.put("configuration_extra", JsonValues.writeMembers(s.getConfiguration().getOtherKeys()));
        p.put("created_at", zoned(s.getCreatedAt()));
        p.put("updated_at", zoned(s.getUpdatedAt()));
        p.put("version", s.getVersion());
        return record(AUTOMATION_TOPIC, s.getId(), AUTOMATION_SCHEMA, p);
    }

    /** The current row of {@code select <EVALUATION_COLUMNS or AUTOMATION_COLUMNS>} as a record payload. */
    public static ObjectNode payload(String topic, ResultSet rs) throws SQLException {
        ObjectNode p = JSON.createObjectNode();
        for (String column : columns(topic)) {
            switch (column) {
                case "version" -> p.put(column, rs.getLong(column));
                case "share_expiry", "created_at", "updated_at" -> p.put(column, zoned(timestamp(rs, column)));
                case "evaluator_ids" -> {
                    ArrayNode ids = p.putArray(column);
                    for (String id : (String[]) rs.getArray(column).getArray()) {
                        ids.add(id);
                    }
                }
                case "sampling_rate" -> p.put(column, (Double) rs.getObject(column));
                case "share_require_email", "share_require_name", "share_allow_anon", "allow_multiple_ratings",
                     "editors_can_share", "is_enabled", "use_proxy" -> p.put(column, (Boolean) rs.getObject(column));
                default -> p.put(column, rs.getString(column));
            }
        }
        return p;
    }

    /**
     * The next full-row upsert of {@code row} (a {@link #payload}): {@code name} set, {@code updated_at} now and
     * {@code version} one up, in {@code row} too.
     */
    public static SinkRecord nextVersion(String topic, ObjectNode row, String name, Instant now) {
        row.put("name", name);
        row.put("updated_at", zoned(now));
        row.put("version", row.get("version").asLong() + 1);
        return record(topic, row.get("id").asString(), EVALUATION_TOPIC.equals(topic) ? EVALUATION_SCHEMA : AUTOMATION_SCHEMA,
                row);
    }

    /** The columns a record of {@code topic} carries. */
    public static List<String> columns(String topic) {
        return List.of((EVALUATION_TOPIC.equals(topic) ? EVALUATION_COLUMNS : AUTOMATION_COLUMNS).split(",\\s*"));
    }

    private static Instant timestamp(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static SinkRecord record(String topic, String id, ObjectNode schema, ObjectNode payload) {
        ObjectNode key = JSON.createObjectNode();
        key.set("schema", KEY_SCHEMA);
        key.putObject("payload").put("id", id);
        ObjectNode value = JSON.createObjectNode();
        value.set("schema", schema);
        value.set("payload", payload);
        return new SinkRecord(topic, id, payload.get("version").asLong(), JSON.writeValueAsString(key),
                JSON.writeValueAsString(value));
    }

    private static String zoned(Instant instant) {
        return instant == null ? null : ZONED.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static ObjectNode struct(String name, List<ObjectNode> fields) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "struct");
        schema.put("optional", false);
        schema.put("name", "patchbay." + name);
        ArrayNode array = schema.putArray("fields");
        fields.forEach(array::add);
        return schema;
    }

    private static ObjectNode field(String name, String type, boolean optional, String logicalName) {
        ObjectNode field = JSON.createObjectNode();
        field.put("field", name);
        field.put("type", type);
        field.put("optional", optional);
        if (logicalName != null) {
            field.put("name", logicalName);
        }
        return field;
    }

    private static ObjectNode stringArray(String name) {
        ObjectNode field = field(name, "array", false, null);
        field.putObject("items").put("type", "string").put("optional", false);
        return field;
    }

    /** Queries returning every compared row of both tables as text, in a stable order. */
    static List<String> comparedRows() {
        return List.of("select row(" + EVALUATION_COLUMNS + ")::text from evaluation order by id",
                "select row(" + AUTOMATION_COLUMNS + ")::text from automation order by id");
    }
}
