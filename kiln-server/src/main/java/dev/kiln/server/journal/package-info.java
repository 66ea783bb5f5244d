/**
 * The durable job journal: every submission and state change of a training, written before the server
 * acknowledges it, so trainings outlive the server process. {@link dev.kiln.server.journal.JobJournal} is the
 * interface; {@link dev.kiln.server.journal.SqliteJobJournal} the embedded default.
 */
package dev.kiln.server.journal;
