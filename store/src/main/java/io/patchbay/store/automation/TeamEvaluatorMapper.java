package io.patchbay.store.automation;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import io.patchbay.schemas.EvaluatorRef;

/** Maps an {@code evaluator} row (id, team_id, name, slug, eval_class) to the evaluator with its team. */
public final class TeamEvaluatorMapper implements RowMapper<EvaluatorRepository.TeamEvaluator> {

    @Override
    public EvaluatorRepository.TeamEvaluator map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new EvaluatorRepository.TeamEvaluator(rs.getString("team_id"), new EvaluatorRef(rs.getString("id"),
                rs.getString("name"), rs.getString("slug"), rs.getString("eval_class")));
    }
}
