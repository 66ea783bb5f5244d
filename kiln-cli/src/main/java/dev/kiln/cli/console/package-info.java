/** What the CLI prints: the live progress bar, summaries of trainings, and plain-text formatting. */
package dev.kiln.cli.console;
