package io.patchbay.admin.resources.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.resources.ResourceKind;
import tools.jackson.databind.node.ObjectNode;

/** The line format and storage of one kind of resource. */
public interface KindHandler {

    ResourceKind kind();

    /** Every member a line of this kind may have, {@code kind} and {@code team} included. */
    Set<String> members();

    /**
     * Reads and checks a line (problems go to {@code reader}); the candidate is meaningful only when the reader has
     * no problems. May read the database, for references within the team.
     */
    Candidate read(Handle handle, LineReader reader, String team, Instant now);

    /** The table of this kind (one of patchbay's, never input). */
    String table();

    /** The team of the stored resource with this id, if there is one (ids are unique across teams). */
    default Optional<String> ownerOf(Handle handle, String id) {
        return handle.createQuery("select team_id from " + table() + " where id = :id").bind("id", id)
                .mapTo(String.class).findOne();
    }

    /** The id of another resource of this kind in {@code team} with this slug, if any (kinds with a slug). */
    default Optional<String> slugTakenBy(Handle handle, String team, String slug, String id) {
        return handle.createQuery("select id from " + table() + " where team_id = :team and slug = :slug and id <> :id")
                .bind("team", team).bind("slug", slug).bind("id", id).mapTo(String.class).findOne();
    }

    /** The content members in which the stored resource differs from the candidate; empty when identical. */
    List<String> differences(Handle handle, Candidate candidate);

    /** Why the candidate cannot be created although it is valid (it could only be stored as it is); empty when it can. */
    default List<String> creationProblems(Candidate candidate) {
        return List.of();
    }

    void insert(Handle handle, Candidate candidate);

    /** The team's resources of this kind as lines, by id. */
    List<ObjectNode> export(Handle handle, String team);
}
