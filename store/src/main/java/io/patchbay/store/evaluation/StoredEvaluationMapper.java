package io.patchbay.store.evaluation;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import io.patchbay.schemas.BrowserEngine;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.store.jdbi.InstantColumnMapper;

/** Maps a row with every {@code evaluation} column, by name, to a {@link StoredEvaluation}. */
public final class StoredEvaluationMapper implements RowMapper<StoredEvaluation> {

    @Override
    public StoredEvaluation map(ResultSet rs, StatementContext ctx) throws SQLException {
        return read(rs);
    }

    /** Maps the current row of {@code rs}: for raw JDBC callers, which have no {@link StatementContext}. */
    public static StoredEvaluation read(ResultSet rs) throws SQLException {
        String hash = rs.getString("share_password_hash");
        String engine = rs.getString("browser_engine");
        EvaluationState state = EvaluationState.newBuilder()
                .setId(rs.getString("id"))
                .setTeamId(rs.getString("team_id"))
                .setName(rs.getString("name"))
                .setDescription(rs.getString("description"))
                .setType(EvaluationType.valueOf(rs.getString("type")))
                .setStatus(EvaluationStatus.valueOf(rs.getString("status")))
                .setShareAccess(ShareAccess.valueOf(rs.getString("share_access")))
                .setSharePasswordSet(hash != null)
                .setShareRequireEmail(rs.getBoolean("share_require_email"))
                .setShareRequireName(rs.getBoolean("share_require_name"))
                .setShareAllowAnon(rs.getBoolean("share_allow_anon"))
                .setShareExpiry(InstantColumnMapper.read(rs, "share_expiry"))
                .setAllowMultipleRatings(rs.getBoolean("allow_multiple_ratings"))
                .setEditorsCanShare(rs.getBoolean("editors_can_share"))
                .setBrowserEngine(engine == null ? null : BrowserEngine.valueOf(engine))
                .setUseProxy(rs.getObject("use_proxy", Boolean.class))
                .setProxyRegion(rs.getString("proxy_region"))
                .setModelId(rs.getString("model_id"))
                .setCreatedAt(InstantColumnMapper.read(rs, "created_at"))
                .setUpdatedAt(InstantColumnMapper.read(rs, "updated_at"))
                .setVersion(rs.getLong("version"))
                .build();
        return new StoredEvaluation(state, hash);
    }
}
