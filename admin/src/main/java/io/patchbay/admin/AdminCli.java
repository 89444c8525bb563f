package io.patchbay.admin;

import java.io.PrintWriter;

import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

import io.patchbay.admin.cli.KeysCommand;
import io.patchbay.admin.cli.ReplayCommand;
import io.patchbay.admin.cli.ResourcesCommand;
import io.patchbay.admin.cli.TeamsCommand;
import io.patchbay.admin.cli.VerifyCommand;
import io.patchbay.store.Store;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code patchbay-admin}: provisioning from the command line. Connects to patchbay's PostgreSQL with the same
 * environment variables the apps read ({@code SPRING_DATASOURCE_URL}, {@code _USERNAME}, {@code _PASSWORD}), migrates
 * the schema if needed (as the processor does at start), and runs one command. Exit status: 0 done, 1 refused or
 * failed (nothing written), 2 bad usage.
 */
@Command(name = "patchbay-admin", mixinStandardHelpOptions = true, versionProvider = AdminCli.Version.class,
        description = "Provisions patchbay: teams, API keys, and resources from JSON Lines; verifies and replays the change history.",
        subcommands = {TeamsCommand.class, KeysCommand.class, ResourcesCommand.class, VerifyCommand.class, ReplayCommand.class},
        footer = {"", "Database: --jdbc-url, --db-user and --db-password default to SPRING_DATASOURCE_URL, "
                + "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD (prefer the variable for the password)."})
public final class AdminCli {

    /** Exit status of a refused or failed command. */
    public static final int FAILED = 1;

    @Option(names = "--jdbc-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:SPRING_DATASOURCE_URL:-jdbc:postgresql://localhost:5432/patchbay}",
            description = "PostgreSQL JDBC URL (default: $SPRING_DATASOURCE_URL, else ${DEFAULT-VALUE})")
    String jdbcUrl;

    @Option(names = "--db-user", scope = ScopeType.INHERIT, paramLabel = "USER",
            defaultValue = "${env:SPRING_DATASOURCE_USERNAME:-postgres}",
            description = "database user (default: $SPRING_DATASOURCE_USERNAME, else postgres)")
    String user;

    @Option(names = "--db-password", scope = ScopeType.INHERIT, paramLabel = "PASSWORD",
            defaultValue = "${env:SPRING_DATASOURCE_PASSWORD}",
            description = "database password (default: $SPRING_DATASOURCE_PASSWORD)")
    String password;

    private Jdbi jdbi;

    /** The database, migrated to the current schema on first use. */
    public Jdbi jdbi() {
        if (jdbi == null) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(jdbcUrl);
            dataSource.setUser(user);
            if (password != null && !password.isEmpty()) {
                dataSource.setPassword(password);
            }
            jdbi = Store.on(dataSource).migrate().jdbi();
        }
        return jdbi;
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "patchbay-admin-logback.xml");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AdminCli()).setOut(out).setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    commandLine.getErr().println("error: " + (e instanceof AdminException ? e.getMessage()
                            : describe(e) + " (database " + withoutQuery(((AdminCli) cli(commandLine).getCommand()).jdbcUrl) + ")"));
                    commandLine.getErr().flush();
                    return FAILED;
                });
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static CommandLine cli(CommandLine command) {
        return command.getParent() == null ? command : cli(command.getParent());
    }

    /** The URL without its query, where a password may be. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** The version of the jar, when it has one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AdminCli.class.getPackage().getImplementationVersion();
            return new String[] {"patchbay-admin " + (version == null ? "(development build)" : version)};
        }
    }
}
