/** The {@code kiln} command line: one picocli command per subcommand, reaching trainings through a client. */
package dev.kiln.cli;
