package io.patchbay.store.evaluation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.EvaluationState;
import io.patchbay.store.jdbi.JdbcBatch;
import io.patchbay.store.jdbi.ReadRound;

/** Reads and writes Autousers evaluations. */
public final class EvaluationRepository {

    private static final String COLUMNS = "id, team_id, name, description, type, status, share_access, share_password_hash,"
            + " share_require_email, share_require_name, share_allow_anon, share_expiry, allow_multiple_ratings,"
            + " editors_can_share, browser_engine, use_proxy, proxy_region, model_id, created_at, updated_at, version";

    /** The evaluation {@code id} if it belongs to {@code teamId}. */
    public Optional<StoredEvaluation> find(Handle handle, String teamId, String id) {
        return handle.createQuery("select " + COLUMNS + " from evaluation where id = :id and team_id = :team")
                .bind("id", id).bind("team", teamId)
                .mapTo(StoredEvaluation.class).findOne();
    }

    /** The evaluation {@code id}, row-locked until the transaction ends. */
    public Optional<StoredEvaluation> lock(Handle handle, String id) {
        return handle.createQuery("select " + COLUMNS + " from evaluation where id = :id for update")
                .bind("id", id).mapTo(StoredEvaluation.class).findOne();
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
        handle.createQuery(LOCK_ALL)
                .bind("ids", ids.toArray(String[]::new))
                .mapTo(StoredEvaluation.class)
                .forEach(row -> rows.put(row.state().getId(), row));
        return rows;
    }

    /**
     * {@link #lockAll(Handle, Collection)} as a query of {@code round}: its rows are there once the round has run.
     * Nothing is added for no ids.
     */
    public ReadRound.Rows<StoredEvaluation> lockAll(ReadRound round, Collection<String> ids) {
        if (ids.isEmpty()) {
            return null;
        }
        return round.add(LOCK_ALL, Map.of("ids", ids.toArray(String[]::new)), StoredEvaluation.class);
    }

    private static final String LOCK_ALL = "select " + COLUMNS + " from evaluation where id = any(:ids) order by id for update";

    public void insert(Handle handle, StoredEvaluation evaluation) {
        handle.createUpdate("insert into evaluation (" + COLUMNS + ") values (:id, :teamId, :name, :description, :type,"
                        + " :status, :shareAccess, :hash, :shareRequireEmail, :shareRequireName, :shareAllowAnon,"
                        + " :shareExpiry, :allowMultipleRatings, :editorsCanShare, :browserEngine, :useProxy,"
                        + " :proxyRegion, :modelId, :createdAt, :updatedAt, :version)")
                .bindMap(bindings(evaluation)).execute();
    }

    private static final String UPDATE = "update evaluation set name = ?, description = ?, type = ?, status = ?,"
            + " share_access = ?, share_password_hash = ?, share_require_email = ?, share_require_name = ?,"
            + " share_allow_anon = ?, share_expiry = ?, allow_multiple_ratings = ?, editors_can_share = ?,"
            + " browser_engine = ?, use_proxy = ?, proxy_region = ?, model_id = ?, updated_at = ?, version = ?"
            + " where id = ?";

    /** Writes every column of each evaluation, in one JDBC batch, bound by position ({@link JdbcBatch}). */
    public void updateAll(Handle handle, Collection<StoredEvaluation> evaluations) {
        if (evaluations.isEmpty()) {
            return;
        }
        JdbcBatch.execute(handle, UPDATE, evaluations, EvaluationRepository::bindUpdate);
    }

    /**
     * {@link #updateAll(Handle, Collection)}'s statement on a plain connection: the benchmark's raw database loop writes
     * exactly what the processor writes.
     */
    public static void updateAll(Connection connection, Collection<StoredEvaluation> rows) throws SQLException {
        if (!rows.isEmpty()) {
            JdbcBatch.execute(connection, UPDATE, rows, EvaluationRepository::bindUpdate);
        }
    }

    private static void bindUpdate(PreparedStatement ps, StoredEvaluation evaluation) throws SQLException {
        EvaluationState s = evaluation.state();
        ps.setString(1, s.getName());
        ps.setString(2, s.getDescription());
        ps.setString(3, s.getType().name());
        ps.setString(4, s.getStatus().name());
        ps.setString(5, s.getShareAccess().name());
        ps.setString(6, evaluation.sharePasswordHash());
        ps.setBoolean(7, s.getShareRequireEmail());
        ps.setBoolean(8, s.getShareRequireName());
        ps.setBoolean(9, s.getShareAllowAnon());
        JdbcBatch.instant(ps, 10, s.getShareExpiry());
        ps.setBoolean(11, s.getAllowMultipleRatings());
        ps.setBoolean(12, s.getEditorsCanShare());
        ps.setString(13, s.getBrowserEngine() == null ? null : s.getBrowserEngine().name());
        ps.setObject(14, s.getUseProxy(), Types.BOOLEAN);
        ps.setString(15, s.getProxyRegion());
        ps.setString(16, s.getModelId());
        JdbcBatch.instant(ps, 17, s.getUpdatedAt());
        ps.setLong(18, s.getVersion());
        ps.setString(19, s.getId());
    }

    private static Map<String, Object> bindings(StoredEvaluation evaluation) {
        EvaluationState s = evaluation.state();
        Map<String, Object> map = new HashMap<>();
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
        map.put("shareExpiry", s.getShareExpiry());
        map.put("allowMultipleRatings", s.getAllowMultipleRatings());
        map.put("editorsCanShare", s.getEditorsCanShare());
        map.put("browserEngine", s.getBrowserEngine() == null ? null : s.getBrowserEngine().name());
        map.put("useProxy", s.getUseProxy());
        map.put("proxyRegion", s.getProxyRegion());
        map.put("modelId", s.getModelId());
        map.put("createdAt", s.getCreatedAt());
        map.put("updatedAt", s.getUpdatedAt());
        map.put("version", s.getVersion());
        return map;
    }
}
