package io.patchbay.admin.cli;

import java.io.PrintWriter;
import java.util.List;

import io.patchbay.admin.AdminCli;
import io.patchbay.admin.teams.Team;
import io.patchbay.admin.teams.Teams;
import io.patchbay.schemas.json.JsonValues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code teams create}, {@code teams list}. */
@Command(name = "teams", mixinStandardHelpOptions = true, description = "Create and list teams.")
public final class TeamsCommand {

    @ParentCommand
    AdminCli root;

    @Spec
    CommandSpec spec;

    private final Teams teams = new Teams();

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a team. Creating it again with the same name changes nothing.")
    int create(@Parameters(paramLabel = "TEAM_ID", description = "the team's id, e.g. team_acme") String id,
               @Option(names = "--name", required = true, description = "display name") String name) {
        Teams.Outcome outcome = root.jdbi().inTransaction(h -> teams.create(h, id, name));
        out().println(outcome == Teams.Outcome.CREATED ? "created team " + id : "team " + id + " exists, unchanged");
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List teams with their active keys and resources.")
    int list(@Option(names = "--json", description = "one JSON object per line") boolean json) {
        List<Team> all = root.jdbi().withHandle(teams::list);
        if (json) {
            all.forEach(t -> out().println(JsonValues.MAPPER.createObjectNode().put("id", t.id()).put("name", t.name())
                    .put("createdAt", t.createdAt().toString()).put("activeApiKeys", t.apiKeys())
                    .put("resources", t.resources())));
            return 0;
        }
        Table table = new Table("ID", "NAME", "ACTIVE KEYS", "RESOURCES", "CREATED");
        all.forEach(t -> table.row(t.id(), t.name(), t.apiKeys(), t.resources(), t.createdAt()));
        table.print(out());
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
