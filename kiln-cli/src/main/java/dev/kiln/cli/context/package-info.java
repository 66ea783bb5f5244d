/** What the {@code kiln} subcommands share: the context they run in, the common options and the exit codes. */
package dev.kiln.cli.context;
