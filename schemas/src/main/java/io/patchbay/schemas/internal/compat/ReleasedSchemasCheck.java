package io.patchbay.schemas.internal.compat;

import io.patchbay.schemas.internal.AvroCompatibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;

/**
 * The build's schema gate: each top-level schema in the source directory must be BACKWARD compatible with its
 * last released version, i.e. the new schema must be able to read data written with the released one
 * (Avro's {@code SchemaCompatibility}, reader = current, writer = released).
 *
 * <p>Layout: top-level {@code *.avsc} files of the source directory are the contract; {@code *.avsc} files in
 * its subdirectories define shared types they import. A released version is a self-contained snapshot
 * ({@code Schema.toString(true)}) named {@code <full name>.avsc} in the released directory. A schema without
 * a snapshot is new and passes; a snapshot without a schema fails (removing a released schema is a break).
 *
 * <p>Command line: {@code --sources <dir> --released <dir>} checks; adding {@code --release} then writes fresh
 * snapshots of every top-level schema, and refuses to if the check failed unless {@code --allow-breaking} is
 * also given.
 */
public final class ReleasedSchemasCheck {

    private ReleasedSchemasCheck() {
    }

    /** The outcome of {@link #check(Path, Path)}. */
    public record Result(List<String> failures, List<String> notes) {

        public Result {
            failures = List.copyOf(failures);
            notes = List.copyOf(notes);
        }

        public boolean passed() {
            return failures.isEmpty();
        }

        public String report() {
            StringBuilder text = new StringBuilder();
            if (passed()) {
                text.append("Released-schema check passed.");
            } else {
                text.append("Released-schema check FAILED: ").append(failures.size())
                        .append(failures.size() == 1 ? " schema is" : " schemas are")
                        .append(" not BACKWARD compatible with the released version (the new schema must be able"
                                + " to read data written with the released one):");
                failures.forEach(failure -> text.append(System.lineSeparator()).append("  - ").append(failure));
            }
            notes.forEach(note -> text.append(System.lineSeparator()).append("  note: ").append(note));
            return text.toString();
        }
    }

    /** The current top-level schemas of {@code sources}, by full name, resolved against the shared types. */
    public static Map<String, Schema> currentSchemas(Path sources) {
        SchemaParser parser = new SchemaParser();
        try {
            List<Path> shared;
            try (Stream<Path> files = Files.walk(sources)) {
                shared = files.filter(file -> isAvsc(file) && !file.getParent().equals(sources)).sorted().toList();
            }
            for (Path file : shared) {
                parse(parser, file);
            }
            List<Path> topLevel;
            try (Stream<Path> files = Files.list(sources)) {
                topLevel = files.filter(ReleasedSchemasCheck::isAvsc).sorted().toList();
            }
            List<SchemaParser.ParseResult> results = new ArrayList<>();
            for (Path file : topLevel) {
                results.add(parse(parser, file));
            }
            Map<String, Schema> schemas = new LinkedHashMap<>();
            for (int i = 0; i < results.size(); i++) {
                Schema schema;
                try {
                    schema = parser.resolve(results.get(i));
                } catch (SchemaParseException e) {
                    throw new IllegalArgumentException(topLevel.get(i) + ": " + e.getMessage(), e);
                }
                schemas.put(schema.getFullName(), schema);
            }
            return schemas;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks every current schema of {@code sources} against its snapshot in {@code released}. */
    public static Result check(Path sources, Path released) {
        Map<String, Schema> current = currentSchemas(sources);
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, Schema> entry : current.entrySet()) {
            Path snapshot = snapshotFile(released, entry.getKey());
            if (!Files.isRegularFile(snapshot)) {
                notes.add(entry.getKey() + " has no released version yet (" + snapshot + "); it passes as new");
                continue;
            }
            Schema releasedSchema = readSnapshot(snapshot);
            List<String> problems = AvroCompatibility.problems(entry.getValue(), releasedSchema);
            if (!problems.isEmpty()) {
                failures.add(entry.getKey() + " (released version " + snapshot + "):" + System.lineSeparator()
                        + "      " + String.join(System.lineSeparator() + "      ", problems));
            }
        }
        for (String name : releasedNames(released)) {
            if (!current.containsKey(name)) {
                failures.add(name + " was released (" + snapshotFile(released, name) + ") but has no top-level"
                        + " schema in " + sources + " any more; consumers may still read it. Restore it, or delete"
                        + " the snapshot deliberately.");
            }
        }
        return new Result(failures, notes);
    }

    /** Writes a snapshot of every current schema of {@code sources} into {@code released}. */
    public static List<Path> release(Path sources, Path released) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(released);
            for (Schema schema : currentSchemas(sources).values()) {
                Path snapshot = snapshotFile(released, schema.getFullName());
                Files.writeString(snapshot, schema.toString(true) + System.lineSeparator(), StandardCharsets.UTF_8);
                written.add(snapshot);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    public static Path snapshotFile(Path released, String fullName) {
        return released.resolve(fullName + ".avsc");
    }

    /**
     * Runs the check (and optionally a release) from the command line or exec-maven-plugin.
     *
     * @throws CheckFailedException when the check fails, with the report as message
     */
    public static void main(String[] args) {
        Path sources = null;
        Path released = null;
        boolean release = false;
        boolean allowBreaking = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i] == null ? "" : args[i].trim()) {
                case "" -> { } // an unset option placeholder from the POM
                case "--sources" -> sources = Path.of(value(args, ++i, "--sources"));
                case "--released" -> released = Path.of(value(args, ++i, "--released"));
                case "--release" -> release = true;
                case "--allow-breaking" -> allowBreaking = true;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: --sources <dir>"
                        + " --released <dir> [--release [--allow-breaking]]");
            }
        }
        if (sources == null || released == null) {
            throw new IllegalArgumentException("usage: --sources <dir> --released <dir> [--release [--allow-breaking]]");
        }
        Result result = check(sources, released);
        if (!result.passed() && !(release && allowBreaking)) {
            throw new CheckFailedException(result.report()
                    + (release ? System.lineSeparator() + "No snapshot written; add --allow-breaking to release anyway." : ""));
        }
        System.out.println(result.report());
        if (release) {
            release(sources, released).forEach(path -> System.out.println("released " + path));
        }
    }

    /** The check failed; the message is the report. Carries no stack trace: the report says it all. */
    public static final class CheckFailedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CheckFailedException(String report) {
            super(report, null, false, false);
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static SchemaParser.ParseResult parse(SchemaParser parser, Path file) throws IOException {
        try {
            return parser.parse(file);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static Schema readSnapshot(Path snapshot) {
        try {
            return new SchemaParser().parse(snapshot).mainSchema();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException(snapshot + ": " + e.getMessage(), e);
        }
    }

    private static List<String> releasedNames(Path released) {
        if (!Files.isDirectory(released)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(released)) {
            return files.filter(ReleasedSchemasCheck::isAvsc)
                    .sorted(Comparator.naturalOrder())
                    .map(file -> file.getFileName().toString().replaceFirst("\\.avsc$", ""))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isAvsc(Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().endsWith(".avsc");
    }
}
