package io.patchbay.devstack;

import java.nio.file.Path;

/** Command-line options of {@link Devstack}. */
public record DevstackOptions(int httpPort, int postgresPort, int registryPort, Path dataDirectory,
                              Path infoFile, boolean verbose, boolean help) {

    public static final String USAGE = """
            Usage: ./devstack [options]
              --http-port N       adapter HTTP port (default 8080)
              --postgres-port N   PostgreSQL port (default 15432)
              --registry-port N   schema registry port (default 18081)
              --keep-data         keep database and registry data between runs (in .devstack/data)
              --data-dir DIR      keep data in DIR (implies --keep-data)
              --info-file FILE    where to write the connection facts as JSON (default .devstack/devstack.json)
              --verbose           the logs of the broker, PostgreSQL, the apps and the build (default: warnings only)
              --help              this text""";

    public static DevstackOptions parse(String[] args) {
        int http = 8080;
        int postgres = 15432;
        int registry = 18081;
        Path data = null;
        Path info = Path.of(".devstack", "devstack.json");
        boolean verbose = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http-port" -> http = Integer.parseInt(value(args, ++i));
                case "--postgres-port" -> postgres = Integer.parseInt(value(args, ++i));
                case "--registry-port" -> registry = Integer.parseInt(value(args, ++i));
                case "--keep-data" -> data = data == null ? Path.of(".devstack", "data") : data;
                case "--data-dir" -> data = Path.of(value(args, ++i));
                case "--info-file" -> info = Path.of(value(args, ++i));
                case "--verbose" -> verbose = true;
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return new DevstackOptions(http, postgres, registry, data, info, verbose, help);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
