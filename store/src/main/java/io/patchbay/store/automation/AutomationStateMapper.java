package io.patchbay.store.automation;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.jdbi.InstantColumnMapper;

/**
 * Maps a row with the automation's columns and its condition's as {@code c_id}, {@code c_slug}, {@code c_name} and
 * {@code c_type} (as {@link AutomationRepository} selects them) to an {@link AutomationState}; evaluator details are
 * left empty.
 */
public final class AutomationStateMapper implements RowMapper<AutomationState> {

    @Override
    public AutomationState map(ResultSet rs, StatementContext ctx) throws SQLException {
        return read(rs);
    }

    /** Maps the current row of {@code rs}: for raw JDBC callers, which have no {@link StatementContext}. */
    public static AutomationState read(ResultSet rs) throws SQLException {
        String conditionId = rs.getString("c_id");
        double rate = rs.getDouble("sampling_rate");
        Double samplingRate = rs.wasNull() ? null : rate;
        return AutomationState.newBuilder()
                .setId(rs.getString("id"))
                .setTeamId(rs.getString("team_id"))
                .setSlug(rs.getString("slug"))
                .setName(rs.getString("name"))
                .setAutomationType(rs.getString("automation_type"))
                .setCondition(conditionId == null ? null : new ConditionRef(conditionId, rs.getString("c_slug"),
                        rs.getString("c_name"), rs.getString("c_type")))
                .setEvaluatorIds(stringList(rs.getArray("evaluator_ids")))
                .setEvaluatorDetails(List.of())
                .setIsEnabled(rs.getBoolean("is_enabled"))
                .setConfiguration(new AutomationConfiguration(samplingRate,
                        JsonValues.parseMembers(rs.getString("configuration_extra"))))
                .setCreatedAt(InstantColumnMapper.read(rs, "created_at"))
                .setUpdatedAt(InstantColumnMapper.read(rs, "updated_at"))
                .setVersion(rs.getLong("version"))
                .build();
    }

    private static List<String> stringList(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
