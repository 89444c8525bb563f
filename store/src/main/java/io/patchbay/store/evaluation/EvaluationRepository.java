package io.patchbay.store.evaluation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import io.patchbay.schemas.BrowserEngine;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.store.Timestamps;

/** Reads and writes Autousers evaluations. */
public final class EvaluationRepository {

    private static final String COLUMNS = "id, team_id, name, description, type, status, share_access, share_password_hash,"
            + " share_require_email, share_require_name, share_allow_anon, share_expiry, allow_multiple_ratings,"
            + " editors_can_share, browser_engine, use_proxy, proxy_region, model_id, created_at, updated_at, version";

    /** The evaluation {@code id} if it belongs to {@code teamId}. */
    public Optional<StoredEvaluation> find(Handle handle, String teamId, String id) {
        return handle.createQuery("select " + COLUMNS + " from evaluation where id = :id and team_id = :team")
                .bind("id", id).bind("team", teamId)
                .map((rs, ctx) -> read(rs)).findOne();
    }

    /** The evaluation {@code id}, row-locked until the transaction ends. */
    public Optional<StoredEvaluation> lock(Handle handle, String id) {
        return handle.createQuery("select " + COLUMNS + " from evaluation where id = :id for update")
                .bind("id", id).map((rs, ctx) -> read(rs)).findOne();
    }

    /**
     * The evaluations among {@code ids}, by id, each row-locked until the transaction ends. One query; rows are
     * locked in id order, so that two transactions locking overlapping sets cannot deadlock.
     */
    public Map<String, StoredEvaluation> lockAll(Handle handle, Collection<String> ids) {
        Map<String, StoredEvaluation> rows = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        handle.createQuery("select " + COLUMNS + " from evaluation where id = any(:ids) order by id for update")
                .bind("ids", ids.toArray(String[]::new))
                .map((rs, ctx) -> read(rs))
                .forEach(row -> rows.put(row.state().getId(), row));
        return rows;
    }

    public void insert(Handle handle, StoredEvaluation evaluation) {
        handle.createUpdate("insert into evaluation (" + COLUMNS + ") values (:id, :teamId, :name, :description, :type,"
                        + " :status, :shareAccess, :hash, :shareRequireEmail, :shareRequireName, :shareAllowAnon,"
                        + " :shareExpiry, :allowMultipleRatings, :editorsCanShare, :browserEngine, :useProxy,"
                        + " :proxyRegion, :modelId, :createdAt, :updatedAt, :version)")
                .bindMap(bindings(evaluation)).execute();
    }

    private static final String UPDATE = "update evaluation set name = :name, description = :description, type = :type,"
            + " status = :status, share_access = :shareAccess, share_password_hash = :hash,"
            + " share_require_email = :shareRequireEmail, share_require_name = :shareRequireName,"
            + " share_allow_anon = :shareAllowAnon, share_expiry = :shareExpiry,"
            + " allow_multiple_ratings = :allowMultipleRatings, editors_can_share = :editorsCanShare,"
            + " browser_engine = :browserEngine, use_proxy = :useProxy, proxy_region = :proxyRegion,"
            + " model_id = :modelId, updated_at = :updatedAt, version = :version where id = :id";

    /** Writes every column of {@code evaluation}. */
    public void update(Handle handle, StoredEvaluation evaluation) {
        handle.createUpdate(UPDATE).bindMap(bindings(evaluation)).execute();
    }

    /** Writes every column of each evaluation, in one JDBC batch. */
    public void updateAll(Handle handle, Collection<StoredEvaluation> evaluations) {
        if (evaluations.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(UPDATE);
        for (StoredEvaluation evaluation : evaluations) {
            batch.bindMap(bindings(evaluation)).add();
        }
        batch.execute();
    }

    private static java.util.Map<String, Object> bindings(StoredEvaluation evaluation) {
        EvaluationState s = evaluation.state();
        var map = new java.util.HashMap<String, Object>();
        map.put("id", s.getId());
        map.put("teamId", s.getTeamId());
        map.put("name", s.getName());
        map.put("description", s.getDescription());
        map.put("type", s.getType().name());
        map.put("status", s.getStatus().name());
        map.put("shareAccess", s.getShareAccess().name());
        map.put("hash", evaluation.sharePasswordHash());
        map.put("shareRequireEmail", s.getShareRequireEmail());
        map.put("shareRequireName", s.getShareRequireName());
        map.put("shareAllowAnon", s.getShareAllowAnon());
        map.put("shareExpiry", Timestamps.bind(s.getShareExpiry()));
        map.put("allowMultipleRatings", s.getAllowMultipleRatings());
        map.put("editorsCanShare", s.getEditorsCanShare());
        map.put("browserEngine", s.getBrowserEngine() == null ? null : s.getBrowserEngine().name());
        map.put("useProxy", s.getUseProxy());
        map.put("proxyRegion", s.getProxyRegion());
        map.put("modelId", s.getModelId());
        map.put("createdAt", Timestamps.bind(s.getCreatedAt()));
        map.put("updatedAt", Timestamps.bind(s.getUpdatedAt()));
        map.put("version", s.getVersion());
        return map;
    }

    /** Maps the current row of a query selecting every evaluation column by its name (shared with raw JDBC callers). */
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
                .setShareExpiry(Timestamps.read(rs, "share_expiry"))
                .setAllowMultipleRatings(rs.getBoolean("allow_multiple_ratings"))
                .setEditorsCanShare(rs.getBoolean("editors_can_share"))
                .setBrowserEngine(engine == null ? null : BrowserEngine.valueOf(engine))
                .setUseProxy(rs.getObject("use_proxy", Boolean.class))
                .setProxyRegion(rs.getString("proxy_region"))
                .setModelId(rs.getString("model_id"))
                .setCreatedAt(Timestamps.read(rs, "created_at"))
                .setUpdatedAt(Timestamps.read(rs, "updated_at"))
                .setVersion(rs.getLong("version"))
                .build();
        return new StoredEvaluation(state, hash);
    }
}
