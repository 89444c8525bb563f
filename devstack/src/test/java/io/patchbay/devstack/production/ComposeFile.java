package io.patchbay.devstack.production;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The services of a {@code docker-compose.yml} and the environment compose gives each one: merge keys resolved,
 * {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?error}} and {@code $$} interpolated
 * from the given variables (not from this JVM's environment), as {@code docker compose config} would.
 */
final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\$|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?})");

    private final Map<String, Map<String, Object>> services;
    private final Map<String, String> variables;

    @SuppressWarnings("unchecked")
    private ComposeFile(Map<String, Object> document, Map<String, String> variables) {
        this.services = (Map<String, Map<String, Object>>) document.get("services");
        this.variables = variables;
    }

    static ComposeFile parse(String yaml, Map<String, String> variables) {
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return new ComposeFile(document, variables);
    }

    static ComposeFile read(Path file, Map<String, String> variables) {
        try {
            return parse(Files.readString(file), variables);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> services() {
        return List.copyOf(services.keySet());
    }

    /** The environment of {@code service}, interpolated, in file order. */
    Map<String, String> environment(String service) {
        Map<String, Object> definition = services.get(service);
        if (definition == null) {
            throw new IllegalArgumentException("no service " + service + " in the compose file");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = definition.get("environment");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((key, value) -> environment.put(key.toString(), value == null ? "" : interpolate(value.toString())));
        } else if (declared instanceof List<?> list) {
            for (Object item : list) {
                String[] pair = item.toString().split("=", 2);
                environment.put(pair[0], pair.length == 2 ? interpolate(pair[1]) : "");
            }
        }
        return environment;
    }

    String interpolate(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(resolve(matcher)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String resolve(Matcher matcher) {
        if (matcher.group(1) == null) {
            return "$";
        }
        String name = matcher.group(1);
        String operator = matcher.group(2);
        String argument = matcher.group(3);
        String value = variables.get(name);
        boolean missing = operator != null && operator.startsWith(":") ? value == null || value.isEmpty() : value == null;
        if (operator == null) {
            return value == null ? "" : value;
        }
        if (operator.endsWith("-")) {
            return missing ? argument : value;
        }
        if (missing) {
            throw new IllegalStateException("compose needs " + name + ": " + argument);
        }
        return value;
    }
}
