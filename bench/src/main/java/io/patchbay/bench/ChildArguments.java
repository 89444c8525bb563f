package io.patchbay.bench;

import picocli.CommandLine;

/**
 * The command line of the benchmark's child JVMs ({@link CrudServer}, the latency load generator): {@code --name=value}
 * options parsed by picocli into an options object whose fields carry {@link CommandLine.Option} annotations, so that
 * each child declares its options, types and defaults once and gets the same errors for a missing, unknown or
 * malformed one.
 */
public final class ChildArguments {

    private ChildArguments() {
    }

    /**
     * Fills {@code options} from {@code args} and returns it.
     *
     * @throws IllegalArgumentException for an unknown option, a missing required one or a value of the wrong type,
     *     with picocli's message and the child's usage
     */
    public static <T> T parse(T options, String... args) {
        CommandLine line = new CommandLine(options);
        try {
            line.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + System.lineSeparator() + line.getUsageMessage(), e);
        }
        return options;
    }
}
