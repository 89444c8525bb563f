package io.patchbay.devstack.production;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings the README's configuration table documents for each app, as the environment variable names Spring
 * Boot binds them from ({@code patchbay.api.command-wait} is {@code PATCHBAY_API_COMMAND_WAIT} or
 * {@code PATCHBAY_API_COMMANDWAIT}). An environment variable that names none of them is ignored by the app: a typo
 * in {@code docker-compose.yml} that would silently fall back to a default.
 */
final class DocumentedSettings {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private final List<String[]> rows;

    private DocumentedSettings(List<String[]> rows) {
        this.rows = rows;
    }

    static DocumentedSettings fromReadme(Path readme) {
        try {
            return parse(Files.readString(readme));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DocumentedSettings parse(String markdown) {
        Matcher heading = Pattern.compile("(?m)^## Configuration$").matcher(markdown);
        if (!heading.find()) {
            throw new IllegalArgumentException("no '## Configuration' section");
        }
        int start = heading.start();
        int end = markdown.indexOf("\n## ", start + 1);
        List<String[]> rows = new ArrayList<>();
        for (String line : markdown.substring(start, end < 0 ? markdown.length() : end).split("\n")) {
            if (line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                rows.add(new String[] {cells[1].trim(), cells[2].trim()});
            }
        }
        return new DocumentedSettings(rows);
    }

    /** The properties the table lists for {@code app} ({@code processor} or {@code adapter}), rows for both included. */
    Set<String> properties(String app) {
        Set<String> properties = new LinkedHashSet<>();
        for (String[] row : rows) {
            if (!row[1].equals(app) && !row[1].equals("both")) {
                continue;
            }
            String prefix = "";
            Matcher matcher = CODE.matcher(row[0]);
            while (matcher.find()) {
                String name = matcher.group(1);
                String property = name.startsWith(".") ? prefix + name : name;
                prefix = property.substring(0, property.lastIndexOf('.'));
                properties.add(property);
            }
        }
        return properties;
    }

    /** The names of {@code environment} that bind to no documented property of {@code app}. */
    List<String> undocumented(Set<String> environment, String app) {
        Set<String> known = new LinkedHashSet<>();
        for (String property : properties(app)) {
            String upper = property.toUpperCase(Locale.ROOT).replace('.', '_');
            known.add(upper.replace("-", ""));
            known.add(upper.replace('-', '_'));
        }
        return environment.stream().filter(name -> !known.contains(name)).toList();
    }
}
