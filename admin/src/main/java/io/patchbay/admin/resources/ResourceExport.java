package io.patchbay.admin.resources;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.resources.internal.KindHandler;
import io.patchbay.admin.resources.internal.KindHandlers;
import io.patchbay.admin.teams.Teams;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes resources as JSON Lines in the format {@link ResourceImport} reads: per team, evaluators, conditions,
 * automations, then evaluations, each by id, so that importing the output creates references before what uses them.
 * Versions and update times are not exported (an import creates version 1); share passwords never leave the database.
 */
public final class ResourceExport {

    private final Map<ResourceKind, KindHandler> handlers = KindHandlers.all();
    private final Teams teams = new Teams();

    /**
     * Exports the resources of {@code teamIds} (every team when empty) of {@code kinds} (every kind when empty), one
     * JSON object per call of {@code out}; returns how many lines were written.
     */
    public int export(Handle handle, Collection<String> teamIds, Collection<ResourceKind> kinds, Consumer<String> out) {
        List<String> selected = teamIds.isEmpty() ? teams.list(handle).stream().map(t -> t.id()).toList() : List.copyOf(teamIds);
        selected.forEach(team -> teams.requireExists(handle, team));
        Set<ResourceKind> wanted = kinds.isEmpty() ? EnumSet.allOf(ResourceKind.class) : EnumSet.copyOf(kinds);
        int written = 0;
        for (String team : selected) {
            for (ResourceKind kind : ResourceKind.values()) {
                if (wanted.contains(kind)) {
                    for (ObjectNode line : handlers.get(kind).export(handle, team)) {
                        out.accept(JsonValues.MAPPER.writeValueAsString(line));
                        written++;
                    }
                }
            }
        }
        return written;
    }
}
