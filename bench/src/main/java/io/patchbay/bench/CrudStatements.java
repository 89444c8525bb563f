package io.patchbay.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baselines' in-place update of a resource: one {@code UPDATE ... RETURNING} of the evaluation or automation a
 * PATCH path names, within the bearer's team, answered with the row. The direct CRUD baseline runs it autocommitted
 * per request ({@link CrudServer}); the Kafka relay baseline runs a poll's worth in one transaction.
 */
public final class CrudStatements {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EVALUATIONS = "/api/v1/evaluations/";
    private static final String AUTOMATIONS = "/api/automations/";

    private CrudStatements() {
    }

    /** The updated row of the resource {@code path} names, or null when the path names none of {@code team}'s. */
    public static ObjectNode update(Connection connection, String path, String team, JsonNode body) throws SQLException {
        if (path.startsWith(EVALUATIONS)) {
            return updateEvaluation(connection, path.substring(EVALUATIONS.length()), team, body);
        }
        if (path.startsWith(AUTOMATIONS)) {
            String id = path.substring(AUTOMATIONS.length());
            return updateAutomation(connection, id.endsWith("/") ? id.substring(0, id.length() - 1) : id, team, body);
        }
        return null;
    }

    private static ObjectNode updateEvaluation(Connection connection, String id, String team, JsonNode body) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("update evaluation set name = coalesce(?, name),"
                + " description = case when ? then ? else description end, updated_at = now(), version = version + 1"
                + " where id = ? and team_id = ? returning id, team_id, name, description, type, status, share_access,"
                + " version, created_at, updated_at")) {
            ps.setString(1, body.has("name") ? body.get("name").asString() : null);
            ps.setBoolean(2, body.has("description"));
            ps.setString(3, body.has("description") && !body.get("description").isNull() ? body.get("description").asString() : null);
            ps.setString(4, id);
            ps.setString(5, team);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ObjectNode row = JSON.createObjectNode();
                row.put("id", rs.getString("id"));
                row.put("teamId", rs.getString("team_id"));
                row.put("name", rs.getString("name"));
                row.put("description", rs.getString("description"));
                row.put("type", rs.getString("type"));
                row.put("status", rs.getString("status"));
                row.put("shareAccess", rs.getString("share_access"));
                row.put("version", rs.getLong("version"));
                row.put("createdAt", rs.getObject("created_at", OffsetDateTime.class).toString());
                row.put("updatedAt", rs.getObject("updated_at", OffsetDateTime.class).toString());
                return row;
            }
        }
    }

    private static ObjectNode updateAutomation(Connection connection, String id, String team, JsonNode body) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("update automation set name = coalesce(?, name),"
                + " is_enabled = coalesce(?, is_enabled), updated_at = now(), version = version + 1"
                + " where id = ? and team_id = ? returning id, team_id, slug, name, is_enabled, sampling_rate,"
                + " evaluator_ids, version, created_at, updated_at")) {
            ps.setString(1, body.has("name") ? body.get("name").asString() : null);
            if (body.has("is_enabled")) {
                ps.setBoolean(2, body.get("is_enabled").asBoolean());
            } else {
                ps.setNull(2, Types.BOOLEAN);
            }
            ps.setString(3, id);
            ps.setString(4, team);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ObjectNode row = JSON.createObjectNode();
                row.put("id", rs.getString("id"));
                row.put("name", rs.getString("name"));
                row.put("automation_type", "online_eval");
                row.put("is_enabled", rs.getBoolean("is_enabled"));
                var evaluators = row.putArray("evaluator_ids");
                for (String e : (String[]) rs.getArray("evaluator_ids").getArray()) {
                    evaluators.add(e);
                }
                row.putObject("configuration").put("sampling_rate", rs.getDouble("sampling_rate"));
                row.put("version", rs.getLong("version"));
                row.put("created_at", rs.getObject("created_at", OffsetDateTime.class).toString());
                row.put("updated_at", rs.getObject("updated_at", OffsetDateTime.class).toString());
                return row;
            }
        }
    }

}
