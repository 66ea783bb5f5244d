/** The kiln subcommands, one class each, and what they share: parameter parsing and following a training. */
package dev.kiln.cli.command;
