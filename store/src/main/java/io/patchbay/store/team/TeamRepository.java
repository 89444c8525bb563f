package io.patchbay.store.team;

import org.jdbi.v3.core.Handle;

/** Teams: the unit of isolation; every resource and API key belongs to exactly one. */
public final class TeamRepository {

    public void insert(Handle handle, String id, String name) {
        handle.createUpdate("insert into team (id, name) values (:id, :name) on conflict (id) do nothing")
                .bind("id", id).bind("name", name).execute();
    }
}
