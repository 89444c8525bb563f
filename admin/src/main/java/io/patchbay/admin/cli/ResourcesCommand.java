package io.patchbay.admin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.patchbay.admin.AdminCli;
import io.patchbay.admin.AdminException;
import io.patchbay.admin.resources.ImportReport;
import io.patchbay.admin.resources.ResourceExport;
import io.patchbay.admin.resources.ResourceImport;
import io.patchbay.admin.resources.ResourceKind;
import io.patchbay.admin.resources.SourceLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code resources import|export}: evaluations, evaluators, conditions and automations as JSON Lines. */
@Command(name = "resources", mixinStandardHelpOptions = true,
        description = "Import and export evaluations, evaluators, conditions and automations as JSON Lines.")
public final class ResourcesCommand {

    @ParentCommand
    AdminCli root;

    @Spec
    CommandSpec spec;

    @Command(name = "import", mixinStandardHelpOptions = true, description = {
        "Create the resources of FILEs that do not exist yet; resources stored with the same content are left unchanged,",
        "so an import can run again. All FILEs are one transaction: if any line fails, nothing is written and every",
        "failing line is reported."})
    int importFiles(@Parameters(paramLabel = "FILE", arity = "1..*", description = "JSON Lines files, read in order") List<Path> files,
                    @Option(names = "--dry-run", description = "check everything, write nothing") boolean dryRun,
                    @Option(names = {"-v", "--verbose"}, description = "report every line, not only failures") boolean verbose) {
        List<SourceLine> lines = new ArrayList<>();
        files.forEach(file -> lines.addAll(SourceLine.read(file)));
        ImportReport report = new ResourceImport().run(root.jdbi(), lines, dryRun, Instant.now());
        PrintWriter out = spec.commandLine().getOut();
        (verbose ? report.lines() : report.failures()).forEach(line -> out.println(line.describe()));
        out.println("import: " + report.summary());
        return report.ok() ? 0 : AdminCli.FAILED;
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write resources as JSON Lines in the format import reads (references first).")
    int export(@Option(names = "--team", paramLabel = "TEAM_ID", description = "repeatable; default: every team") List<String> teams,
               @Option(names = "--kind", paramLabel = "KIND", description = "repeatable: evaluator, condition, automation,"
                       + " evaluation; default: all") List<String> kinds,
               @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "default: stdout") Path output) {
        List<ResourceKind> selected = kinds == null ? List.of() : kinds.stream().map(k -> ResourceKind.parse(k)
                .orElseThrow(() -> new AdminException("unknown kind '" + k + "' (evaluator, condition, automation, evaluation)")))
                .toList();
        List<String> teamIds = teams == null ? List.of() : teams;
        int written;
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            written = root.jdbi().withHandle(h -> new ResourceExport().export(h, teamIds, selected, out::println));
        } else {
            try (Writer file = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                written = root.jdbi().withHandle(h -> new ResourceExport().export(h, teamIds, selected, line -> {
                    try {
                        file.write(line);
                        file.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + output, e);
            }
        }
        spec.commandLine().getErr().println("exported " + written + " line(s)");
        return 0;
    }
}
