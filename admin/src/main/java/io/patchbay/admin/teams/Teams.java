package io.patchbay.admin.teams;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.AdminException;
import io.patchbay.admin.Names;
import io.patchbay.store.jdbi.InstantColumnMapper;
import io.patchbay.store.team.TeamRepository;

/** Creating and listing teams. */
public final class Teams {

    /** What {@link #create} did. */
    public enum Outcome { CREATED, UNCHANGED }

    private static final String SELECT = "select t.id, t.name, t.created_at,"
            + " (select count(*) from api_key k where k.team_id = t.id and k.revoked_at is null"
            + "   and (k.expires_at is null or k.expires_at > now())) as api_keys,"
            + " (select count(*) from evaluation r where r.team_id = t.id)"
            + " + (select count(*) from evaluator r where r.team_id = t.id)"
            + " + (select count(*) from condition r where r.team_id = t.id)"
            + " + (select count(*) from automation r where r.team_id = t.id) as resources from team t ";

    private final TeamRepository teams = new TeamRepository();

    /**
     * Creates team {@code id} named {@code name}. Creating a team that exists with the same name changes nothing, so
     * provisioning scripts can run again; a different name is refused (teams are renamed nowhere yet).
     */
    public Outcome create(Handle handle, String id, String name) {
        Names.require("team id '" + id + "'", Names.idProblem(id));
        Names.require("team name", Names.teamNameProblem(name));
        Optional<Team> existing = find(handle, id);
        if (existing.isPresent()) {
            if (!existing.get().name().equals(name)) {
                throw new AdminException("team " + id + " exists with another name ('" + existing.get().name() + "')");
            }
            return Outcome.UNCHANGED;
        }
        teams.insert(handle, id, name);
        return Outcome.CREATED;
    }

    public Optional<Team> find(Handle handle, String id) {
        return handle.createQuery(SELECT + "where t.id = :id").bind("id", id).map((rs, ctx) -> read(rs)).findOne();
    }

    /** Every team, by id. */
    public List<Team> list(Handle handle) {
        return handle.createQuery(SELECT + "order by t.id").map((rs, ctx) -> read(rs)).list();
    }

    private static Team read(ResultSet rs) throws SQLException {
        return new Team(rs.getString("id"), rs.getString("name"), InstantColumnMapper.read(rs, "created_at"), rs.getInt("api_keys"),
                rs.getInt("resources"));
    }

    /** Throws unless team {@code id} exists. */
    public void requireExists(Handle handle, String id) {
        boolean exists = handle.createQuery("select count(*) from team where id = :id").bind("id", id)
                .mapTo(Integer.class).one() > 0;
        if (!exists) {
            throw new AdminException("team " + id + " does not exist (create it with: teams create " + id + " --name ...)");
        }
    }
}
