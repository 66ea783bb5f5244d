package dev.kiln.cli.context;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after the subcommand's name. */
public final class GlobalOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "A YAML config file, as the library reads (repeatable; later files win). Files in "
                    + "CONFIG_FILES are read first; environment variables override both.")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON instead of text.")
    boolean json;

    /** The config files named on the command line. */
    public List<Path> configFiles() {
        return List.copyOf(configFiles);
    }

    /** Whether to print JSON. */
    public boolean json() {
        return json;
    }
}
