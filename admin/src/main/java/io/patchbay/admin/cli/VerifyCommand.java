package io.patchbay.admin.cli;

import java.io.PrintWriter;
import java.time.Duration;

import io.patchbay.admin.AdminCli;
import io.patchbay.admin.audit.ChainVerifier;
import io.patchbay.admin.audit.DatabaseChains;
import io.patchbay.admin.audit.TopicChains;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code verify database}, {@code verify topic}: the hash chains of the change events. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the change events' hash chains; print the first break of each resource. Exit 1 on any break.")
public final class VerifyCommand {

    @ParentCommand
    AdminCli root;

    @Spec
    CommandSpec spec;

    @Command(name = "database", mixinStandardHelpOptions = true,
            description = "Verify the change log: every resource's versions without gaps, unaltered, in order, up to its current version.")
    int database() {
        return print("database", root.jdbi().inTransaction(h -> new DatabaseChains().verify(h)));
    }

    @Command(name = "topic", mixinStandardHelpOptions = true,
            description = "Verify a changes topic from its beginning to its current end (raw bytes; no registry needed).")
    int topic(@Parameters(paramLabel = "TOPIC", description = "e.g. patchbay.evaluations.changes") String topic,
              @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
                      defaultValue = "${env:SPRING_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
                      description = "Kafka brokers (default: $SPRING_KAFKA_BOOTSTRAP_SERVERS, else ${DEFAULT-VALUE})")
              String bootstrapServers,
              @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class, defaultValue = "60s",
                      description = "longest time to read the topic to its end (default: ${DEFAULT-VALUE})")
              Duration timeout) {
        return print("topic " + topic, new TopicChains(bootstrapServers, timeout).verify(topic));
    }

    private int print(String what, ChainVerifier.Report report) {
        PrintWriter out = spec.commandLine().getOut();
        report.breaks().values().forEach(out::println);
        out.println("verified " + what + ": " + report.resources() + " resources, " + report.events() + " events"
                + (report.duplicates() == 0 ? "" : " (" + report.duplicates() + " identical copies)") + ": "
                + (report.intact() ? "intact" : report.breaks().size() + " broken"));
        return report.intact() ? 0 : AdminCli.FAILED;
    }
}
