package io.patchbay.store.automation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;

import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.store.jdbi.JdbcBatch;
import io.patchbay.store.jdbi.ReadRound;

/** Reads and writes Respan automations, with their condition and evaluators resolved. */
public final class AutomationRepository {

    private static final String SELECT = "select a.id, a.team_id, a.slug, a.name, a.automation_type, a.evaluator_ids,"
            + " a.is_enabled, a.sampling_rate, a.configuration_extra::text as configuration_extra, a.created_at,"
            + " a.updated_at, a.version, c.id as c_id, c.slug as c_slug, c.name as c_name,"
            + " c.condition_type as c_type from automation a left join condition c on c.id = a.condition_id ";

    private final EvaluatorRepository evaluators = new EvaluatorRepository();

    /** The automation of {@code teamId} whose id, else whose slug, is {@code idOrSlug}. */
    public Optional<AutomationState> findByIdOrSlug(Handle handle, String teamId, String idOrSlug) {
        return resolveId(handle, teamId, idOrSlug).flatMap(id -> handle.createQuery(SELECT + "where a.id = :id")
                .bind("id", id).mapTo(AutomationState.class).findOne())
                .map(state -> withDetails(handle, state));
    }

    /** Resolves an id or slug to the automation id within {@code teamId}: id first, then slug. */
    public Optional<String> resolveId(Handle handle, String teamId, String idOrSlug) {
        return handle.createQuery("select id from automation where team_id = :team and (id = :key or slug = :key)"
                        + " order by (id = :key) desc limit 1")
                .bind("team", teamId).bind("key", idOrSlug).mapTo(String.class).findOne();
    }

    /** An automation's id and its team. */
    public record TeamId(String teamId, String id) {
    }

    /** The ids of at most {@code limit} automations, with their teams, the most recently updated first. */
    public List<TeamId> ids(Handle handle, int limit) {
        return handle.createQuery("select team_id, id from automation order by updated_at desc limit :limit")
                .bind("limit", limit).map((rs, ctx) -> new TeamId(rs.getString(1), rs.getString(2))).list();
    }

    /** The automation {@code id}, row-locked until the transaction ends. */
    public Optional<AutomationState> lock(Handle handle, String id) {
        return handle.createQuery(SELECT + "where a.id = :id for update of a")
                .bind("id", id).mapTo(AutomationState.class).findOne()
                .map(state -> withDetails(handle, state));
    }

    /** A reference to an automation as a command names it: the team, and the id or slug sent. */
    public record Reference(String teamId, String idOrSlug) {
    }

    /** Locked automations, and the evaluators read with them (theirs and any others asked for), by id. */
    public record Locked(List<AutomationState> rows, Map<String, EvaluatorRepository.TeamEvaluator> evaluators) {
    }

    /**
     * Every automation that {@code references} can name (by id or by slug, within the reference's team), row-locked
     * until the transaction ends, with evaluators resolved. One query for the rows (locked in id order, so that
     * overlapping sets cannot deadlock) and one for the evaluators: theirs and {@code alsoEvaluators}.
     */
    public Locked lockAll(Handle handle, Collection<Reference> references, Collection<String> alsoEvaluators) {
        if (references.isEmpty()) {
            return new Locked(List.of(), evaluators.findAll(handle, alsoEvaluators));
        }
        List<AutomationState> rows = handle.createQuery(NAMED_WITH + SELECT + "where a.id = any(array(" + NAMED + "))"
                        + " order by a.id for update of a")
                .bind("teams", references.stream().map(Reference::teamId).toArray(String[]::new))
                .bind("keys", references.stream().map(Reference::idOrSlug).toArray(String[]::new))
                .mapTo(AutomationState.class).list();
        Set<String> evaluatorIds = new LinkedHashSet<>(alsoEvaluators);
        rows.forEach(row -> evaluatorIds.addAll(row.getEvaluatorIds()));
        return resolved(rows, evaluators.findAll(handle, evaluatorIds));
    }

    // two equality joins (id, then team and slug) instead of one join on "id or slug", which defeats the indexes
    private static final String NAMED_WITH = "with r as (select * from unnest(cast(:teams as text[]),"
            + " cast(:keys as text[])) as r(team, key)) ";
    private static final String NAMED = "select b.id from r join automation b on b.id = r.key and b.team_id = r.team union "
            + "select b.id from r join automation b on b.team_id = r.team and b.slug = r.key";

    /** {@link #lockAll(Handle, Collection, Collection)} as queries of a {@link ReadRound}, read once it has run. */
    public static final class PendingLock {

        private final ReadRound.Rows<AutomationState> rows;
        private final ReadRound.Rows<EvaluatorRepository.TeamEvaluator> evaluators;

        private PendingLock(ReadRound.Rows<AutomationState> rows, ReadRound.Rows<EvaluatorRepository.TeamEvaluator> evaluators) {
            this.rows = rows;
            this.evaluators = evaluators;
        }

        /** The locked rows and the evaluators, as {@code lockAll} returns them; call after the round has run. */
        public Locked get() {
            Map<String, EvaluatorRepository.TeamEvaluator> found = new HashMap<>();
            if (evaluators != null) {
                evaluators.list().forEach(e -> found.put(e.evaluator().getId(), e));
            }
            return resolved(rows == null ? List.of() : rows.list(), found);
        }
    }

    /**
     * {@link #lockAll(Handle, Collection, Collection)} as two queries of {@code round}: the rows, locked in id order,
     * then the evaluators they name (read after the lock, so they are those of the locked rows) and
     * {@code alsoEvaluators}.
     */
    public PendingLock lockAll(ReadRound round, Collection<Reference> references, Collection<String> alsoEvaluators) {
        String[] also = alsoEvaluators.toArray(String[]::new);
        if (references.isEmpty()) {
            return new PendingLock(null, also.length == 0 ? null
                    : round.add(EvaluatorRepository.SELECT + " where id = any(:also)", Map.of("also", also),
                            EvaluatorRepository.TeamEvaluator.class));
        }
        Map<String, Object> named = Map.of(
                "teams", references.stream().map(Reference::teamId).toArray(String[]::new),
                "keys", references.stream().map(Reference::idOrSlug).toArray(String[]::new));
        ReadRound.Rows<AutomationState> rows = round.add(NAMED_WITH + SELECT + "where a.id = any(array(" + NAMED + "))"
                + " order by a.id for update of a", named, AutomationState.class);
        Map<String, Object> withAlso = new HashMap<>(named);
        withAlso.put("also", also);
        ReadRound.Rows<EvaluatorRepository.TeamEvaluator> evaluators = round.add(NAMED_WITH + EvaluatorRepository.SELECT
                + " where id = any(cast(:also as text[])) or id in (select unnest(a.evaluator_ids) from automation a"
                + " where a.id = any(array(" + NAMED + ")))", withAlso, EvaluatorRepository.TeamEvaluator.class);
        return new PendingLock(rows, evaluators);
    }

    private static Locked resolved(List<AutomationState> rows, Map<String, EvaluatorRepository.TeamEvaluator> found) {
        for (AutomationState row : rows) {
            row.setEvaluatorDetails(row.getEvaluatorIds().stream().map(found::get)
                    .filter(e -> e != null && e.teamId().equals(row.getTeamId()))
                    .map(EvaluatorRepository.TeamEvaluator::evaluator).toList());
        }
        return new Locked(rows, found);
    }

    /**
     * Resolves {@code reference} among {@code rows} as {@link #resolveId} would in the database: the team's
     * automation with that id, else the one with that slug.
     */
    public static Optional<AutomationState> resolve(Collection<AutomationState> rows, Reference reference) {
        return resolver(rows).apply(reference);
    }

    /**
     * {@link #resolve} for many references at once: {@code rows} are indexed once, instead of scanned per reference
     * (a batch resolving each of its references by a scan was quadratic in its size).
     */
    public static Function<Reference, Optional<AutomationState>> resolver(Collection<AutomationState> rows) {
        Map<Reference, AutomationState> byId = new HashMap<>();
        Map<Reference, AutomationState> bySlug = new HashMap<>();
        for (AutomationState row : rows) {
            byId.putIfAbsent(new Reference(row.getTeamId(), row.getId()), row);
            bySlug.put(new Reference(row.getTeamId(), row.getSlug()), row);
        }
        return reference -> Optional.ofNullable(byId.get(reference)).or(() -> Optional.ofNullable(bySlug.get(reference)));
    }

    private static final String UPDATE = "update automation set name = ?, is_enabled = ?, evaluator_ids = ?,"
            + " sampling_rate = ?, configuration_extra = cast(? as json), updated_at = ?, version = ? where id = ?";

    /** Writes the mutable columns of each state, in one JDBC batch, bound by position ({@link JdbcBatch}). */
    public void updateAll(Handle handle, Collection<AutomationState> states) {
        if (states.isEmpty()) {
            return;
        }
        JdbcBatch.execute(handle, UPDATE, states, AutomationRepository::bindUpdate);
    }

    /**
     * {@link #updateAll(Handle, Collection)}'s statement on a plain connection: the benchmark's raw database loop writes
     * exactly what the processor writes.
     */
    public static void updateAll(Connection connection, Collection<AutomationState> rows) throws SQLException {
        if (!rows.isEmpty()) {
            JdbcBatch.execute(connection, UPDATE, rows, AutomationRepository::bindUpdate);
        }
    }

    private static void bindUpdate(PreparedStatement ps, AutomationState state) throws SQLException {
        ps.setString(1, state.getName());
        ps.setBoolean(2, state.getIsEnabled());
        ps.setArray(3, ps.getConnection().createArrayOf("text", state.getEvaluatorIds().toArray()));
        ps.setObject(4, state.getConfiguration().getSamplingRate(), Types.DOUBLE);
        ps.setString(5, JsonValues.writeMembers(state.getConfiguration().getOtherKeys()));
        JdbcBatch.instant(ps, 6, state.getUpdatedAt());
        ps.setLong(7, state.getVersion());
        ps.setString(8, state.getId());
    }

    public void insert(Handle handle, AutomationState state, String conditionId) {
        handle.createUpdate("insert into automation (id, team_id, slug, name, automation_type, condition_id,"
                        + " evaluator_ids, is_enabled, sampling_rate, configuration_extra, created_at, updated_at, version)"
                        + " values (:id, :team, :slug, :name, :type, :condition, :evaluators, :enabled, :rate,"
                        + " cast(:extra as json), :created, :updated, :version)")
                .bind("id", state.getId())
                .bind("team", state.getTeamId())
                .bind("slug", state.getSlug())
                .bind("name", state.getName())
                .bind("type", state.getAutomationType())
                .bind("condition", conditionId)
                .bind("evaluators", state.getEvaluatorIds().toArray(String[]::new))
                .bind("enabled", state.getIsEnabled())
                .bind("rate", state.getConfiguration().getSamplingRate())
                .bind("extra", JsonValues.writeMembers(state.getConfiguration().getOtherKeys()))
                .bind("created", state.getCreatedAt())
                .bind("updated", state.getUpdatedAt())
                .bind("version", state.getVersion())
                .execute();
    }

    private AutomationState withDetails(Handle handle, AutomationState state) {
        state.setEvaluatorDetails(evaluators.findInOrder(handle, state.getTeamId(), state.getEvaluatorIds()));
        return state;
    }
}
